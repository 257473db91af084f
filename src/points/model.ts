/**
 * The point catalog: every point the gateway serves, as loaded from Datapoints.json and the config.
 * It feeds the outstation's stations (values and commands) and the bridge (topics, simulation,
 * command handling). One entry per (common address, IOA, direction).
 */
import type { MonitorTypeId } from "../iec104/asdu/scalar.js";

export type CommandMode = "auto" | "mqtt" | "reject";

/** How a simulated point moves (the simulator's profiles). */
export interface SimulationSpec {
  profile: string;
  /** Profile parameters (e.g. nominal, min, max, step, periodMs), validated by the simulator. */
  params: Record<string, number | string | boolean>;
}

interface PointBase {
  /** The key of the point in Datapoints.json (its name). */
  name: string;
  ca: number;
  ioa: number;
  unit: string;
}

export interface MonitorPoint extends PointBase {
  kind: "monitor";
  typeId: MonitorTypeId;
  /** Interrogation groups 1..16. */
  groups: number[];
  counterGroup: number | undefined;
  deadband: number;
  cyclicMs: number;
  backgroundMs: number;
  spontaneous: boolean | undefined;
  /** Where the value comes from: a topic (default `<base>/point/<ca>/<ioa>`) and optionally a JSON field. */
  source: { topic: string | undefined; field: string | undefined };
  /** Flag NT when no update arrived for this long (0: never), overriding the bridge default. */
  staleAfterMs: number | undefined;
  simulate: SimulationSpec | false | undefined;
  initial: { value: number; quality: number } | undefined;
}

export interface CommandPointEntry extends PointBase {
  kind: "command";
  /** The command type without time tag (45..51); the time-tagged form is accepted too. */
  typeId: number;
  mode: CommandMode | undefined;
  /** `direct`, `select` (select-before-operate required) or `both`. */
  select: "direct" | "select" | "both";
  /** The monitoring point that reflects the command, by IOA in the same station. */
  statusIoa: number | undefined;
  actTerm: boolean;
}

export type CatalogPoint = MonitorPoint | CommandPointEntry;

export interface PointCatalog {
  points: CatalogPoint[];
  /** Where the catalog came from (file path), for messages. */
  source: string;
}
