/**
 * A gateway in a process of its own, for tests that kill it: started from the configuration object
 * (file syntax, durations in seconds) in the environment variable GW_TEST_CONFIG, it prints
 * `READY <addresses as JSON>` once started and runs until killed (SIGTERM: a clean stop).
 *
 *   node --import tsx test/bridge/child-gateway.ts
 */
import { startGateway } from "../../src/app.js";
import { parseConfig } from "../../src/config/load.js";

const raw = process.env.GW_TEST_CONFIG;
if (raw === undefined) throw new Error("GW_TEST_CONFIG is not set");
const gw = await startGateway(parseConfig(JSON.parse(raw)));
process.stdout.write(`READY ${JSON.stringify(gw.addresses)}\n`);
process.on("SIGTERM", () => {
  void gw.close("SIGTERM").then(() => process.exit(0));
});
