/** Test set-up: a scripted outstation on an ephemeral port and a master connected to it. */
import { afterEach } from "vitest";
import { Master, type MasterOptions } from "../../../src/iec104/master/index.js";
import { type OutstationOptions, ScriptedOutstation } from "./outstation.js";

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Registers something to undo after the current test. */
export function onCleanup(fn: () => Promise<void>): void {
  cleanups.push(fn);
}

export interface Setup {
  o: ScriptedOutstation;
  m: Master;
}

/** Starts an outstation, connects a master and (unless `start` is false) starts data transfer. */
export async function setup(
  opts: { outstation?: OutstationOptions; master?: Partial<MasterOptions>; start?: boolean } = {},
): Promise<Setup> {
  const o = await ScriptedOutstation.start(opts.outstation);
  onCleanup(() => o.stop());
  const m = await Master.connect({ host: "127.0.0.1", port: o.port, requestTimeoutMs: 2000, ...opts.master });
  onCleanup(() => m.close());
  if (opts.start !== false) await m.startDataTransfer();
  return { o, m };
}
