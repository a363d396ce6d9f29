// The types of the wasm boundary. All but the last few are generated from the Rust types by
// ts-rs (`cargo test` writes www/src/engine/gen/; CI fails when they differ from the commit), so
// the page and the engine share one shape and one case convention (snake_case).
export type { Scenario } from './gen/Scenario';
export type { DoseItem } from './gen/DoseItem';
export type { DoseKind } from './gen/DoseKind';
export type { Route } from './gen/Route';
export type { KiSet } from './gen/KiSet';
export type { Binding } from './gen/Binding';
export type { Sex } from './gen/Sex';
export type { Race } from './gen/Race';
export type { Schedule } from './gen/Schedule';
export type { PopulationSpec } from './gen/PopulationSpec';
export type { Provenance } from './gen/Provenance';
export type { SimulationResult as SimResult } from './gen/SimulationResult';
export type { AnalyteSeries } from './gen/AnalyteSeries';
export type { Metrics } from './gen/Metrics';
export type { SessionTimeline } from './gen/SessionTimeline';
export type { Monitoring } from './gen/Monitoring';
export type { VitalSeries } from './gen/VitalSeries';
export type { Cited } from './gen/Cited';
export type { CitedSource } from './gen/CitedSource';
export type { CitedCourse } from './gen/CitedCourse';
export type { Calibration } from './gen/Calibration';
export type { Threshold } from './gen/Threshold';
export type { SessionMonitoring } from './gen/SessionMonitoring';
export type { IncidenceCell } from './gen/IncidenceCell';
export type { ModelSpec } from './gen/ModelSpec';
export type { Param } from './gen/Param';
export type { RouteSpec } from './gen/RouteSpec';
export type { DeviceSpec } from './gen/DeviceSpec';
export type { Derived } from './gen/Derived';
export type { PdTables } from './gen/PdTables';
export type { Ligand } from './gen/Ligand';
export type { Ke0Endpoint } from './gen/Ke0Endpoint';
export type { Landmark } from './gen/Landmark';
export type { LandmarkUm } from './gen/LandmarkUm';
export type { Preset } from './gen/Preset';
export type { Limit } from './gen/Limit';
export type { Defaults } from './gen/Defaults';
export type { Adapted } from './gen/Adapted';
export type { Quantity } from './gen/Quantity';
export type { Distribution } from './gen/Distribution';
export type { TciTarget } from './gen/TciTarget';
export type { TciTargetChoice } from './gen/TciTargetChoice';
export type { TargetStep } from './gen/TargetStep';
export type { TciOutcome } from './gen/TciOutcome';
export type { TargetOutcome } from './gen/TargetOutcome';
export type { PumpProfile } from './gen/PumpProfile';
export type { PumpSegment } from './gen/PumpSegment';
export type { Span } from './gen/Span';
export type { Timing } from './gen/Timing';
export type { CshtCurves } from './gen/CshtCurves';
export type { FailedSubject } from './gen/FailedSubject';
export type { LinkFallback } from './gen/LinkFallback';
// issue 12: lectures and the animated compartment diagram
export type { Lecture } from './gen/Lecture';
export type { Scene } from './gen/Scene';
export type { Highlight } from './gen/Highlight';
export type { DiagramTrace } from './gen/DiagramTrace';

import type { ModelSpec } from './gen/ModelSpec';
import type { Derived } from './gen/Derived';
import type { DrugForm } from './gen/DrugForm';
import type { PopulationVariation } from './gen/PopulationVariation';

/** `models()`: each model's description with its derived values (flattened in Rust). */
export type ModelInfo = ModelSpec & { derived: Derived; drug_form: DrugForm; population_variation: PopulationVariation };

/** An error thrown by the engine: the core's message, and the input it concerns. */
export interface EngineError {
  message: string;
  field?: string;
}
