// Types of the parts of ode45-cash-karp 1.1.0 (CommonJS, untyped) the benchmark uses, mapped to
// `ode45-cash-karp` by tsconfig "paths"; Vite bundles the package's JavaScript.
export interface Ode45Options {
  tol?: number;
  dtMinMag?: number;
  dtMaxMag?: number;
  maxIncreaseFactor?: number;
  maxDecreaseFactor?: number;
  errorScaleFunction?: (i: number, dt: number, y: number, dydt: number) => number;
  errorReduceFunction?: (i: number, accumulated: number, estimate: number) => number;
  errorPostFunction?: (accumulated: number) => number;
  verbose?: boolean;
}
export interface Ode45Integrator {
  y: Float64Array | number[];
  t: number;
  dt: number;
  step(tLimit?: number): boolean;
  steps(n: number, tLimit?: number): boolean;
}
declare function ode45(y0: Float64Array | number[], deriv: (dydt: Float64Array | number[], y: Float64Array | number[], t: number) => void, t0: number, dt0: number, options?: Ode45Options): Ode45Integrator;
export default ode45;
