/** The IEC 60870-5-104 codec: pure functions over bytes, no I/O. */
export * from "./apci/apdu.js";
export * from "./apci/frames.js";
export * from "./apci/seq.js";
export * from "./apci/splitter.js";
export * from "./asdu/asdu.js";
export * from "./asdu/elements.js";
export * from "./asdu/types.js";
export * from "./codec/errors.js";
export * from "./codec/quality.js";
export * from "./codec/time.js";
export * from "./link/session.js";
