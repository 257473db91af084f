/**
 * The built-in simulators: seeded value generators for the catalog's points, publishing on the
 * same topics external publishers use (ARCHITECTURE.md sections 1 and 5).
 */
export { inferProfile } from "./infer.js";
export type { Cell, Generator, InitContext, ParamSpec, Params, ParamValue, Profile } from "./profile.js";
export { getProfile, PROFILES, resolveParams } from "./registry.js";
export {
  type PlanEntry,
  type SimClock,
  type SimMessage,
  type SimPublisher,
  Simulator,
  type SimulatorOptions,
} from "./simulator.js";
export { validateSimulation } from "./validate.js";
