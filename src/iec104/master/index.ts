/** The IEC 104 master (controlling station) client. */
export * from "./commands.js";
export * from "./errors.js";
export { asduToJson, cp56Iso, type ObjectView, objectViews } from "./format.js";
export type { StationOutcome } from "./kinds.js";
export * from "./master.js";
export {
  type AttachOptions,
  linkConfig,
  type MasterEvents,
  MasterLink,
  type MasterOptions,
} from "./master-link.js";
export { type PointRow, PointTable, rowLine, rowsOf } from "./point-table.js";
