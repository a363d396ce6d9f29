// Types of the parts of odex 2.0.4 the benchmark uses, mapped to `odex` by tsconfig "paths": the
// package ships its TypeScript source, which does not compile under this project's strict settings;
// Vite bundles its compiled JavaScript (the package's "main").
export type Derivative = (x: number, y: number[]) => number[];
export type OutputFunction = (n: number, xOld: number, x: number, y: number[], dense?: (c: number, x: number) => number) => boolean | void;
export class Solver {
  constructor(n: number);
  denseOutput: boolean;
  relativeTolerance: number | number[];
  absoluteTolerance: number | number[];
  maxSteps: number;
  grid(dt: number, out: (x: number, y: number[]) => unknown): OutputFunction;
  solve(f: Derivative, x: number, y0: number[], xEnd: number, solOut?: OutputFunction): { y: number[]; outcome: number; nStep: number; nAccept: number; nReject: number; nEval: number };
}
