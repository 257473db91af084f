/** parseStartArgs and usage: the flags of `start`. */
import { describe, expect, it } from "vitest";
import { loadConfig, parseStartArgs, SHORTCUTS, usage } from "../../src/config/index.js";
import { problemsOf, tempDir } from "./helpers.js";

describe("parseStartArgs", () => {
  it("no flags", () => {
    expect(parseStartArgs([])).toEqual({ overrides: {}, help: false });
    expect(parseStartArgs(["start"])).toEqual({ overrides: {}, help: false });
  });

  it("every flag", () => {
    expect(
      parseStartArgs([
        "start",
        "--config",
        "gw.yaml",
        "--datapoints",
        "dp.json",
        "--no-simulate",
        "--port",
        "2405",
        "--mqtt-port",
        "1884",
        "--http-port=8081",
        "--log-level",
        "debug",
        "--set",
        "iec104.t1=20",
        "--set",
        "bridge.staleAfter=60",
      ]),
    ).toEqual({
      configFile: "gw.yaml",
      datapoints: "dp.json",
      simulate: false,
      help: false,
      overrides: {
        "datapoints.file": "dp.json",
        "simulator.enabled": false,
        "iec104.port": "2405",
        "mqtt.embedded.port": "1884",
        "http.port": "8081",
        "log.level": "debug",
        "iec104.t1": "20",
        "bridge.staleAfter": "60",
      },
    });
  });

  it("short flags and --help", () => {
    expect(parseStartArgs(["-c", "a.yaml", "-d", "b.json", "-p", "1", "-h"])).toEqual({
      configFile: "a.yaml",
      datapoints: "b.json",
      help: true,
      overrides: { "datapoints.file": "b.json", "iec104.port": "1" },
    });
  });

  it("--mqtt-url selects the external broker", () => {
    expect(parseStartArgs(["--mqtt-url", "mqtts://broker:8883"]).overrides).toEqual({
      "mqtt.mode": "external",
      "mqtt.url": "mqtts://broker:8883",
    });
  });

  it("a later flag for the same setting wins; --set keeps everything after the first =", () => {
    expect(parseStartArgs(["--port", "1", "--set", "iec104.port=2"]).overrides).toEqual({
      "iec104.port": "2",
    });
    expect(parseStartArgs(["--set", "iec104.port=2", "--port", "3"]).overrides).toEqual({
      "iec104.port": "3",
    });
    expect(parseStartArgs(["--simulate", "--no-simulate"]).simulate).toBe(false);
    expect(parseStartArgs(["--no-simulate", "--simulate"]).overrides).toEqual({ "simulator.enabled": true });
    expect(parseStartArgs(["--set", "mqtt.password=a=b"]).overrides).toEqual({ "mqtt.password": "a=b" });
    expect(parseStartArgs(["--set", "gateway.name="]).overrides).toEqual({ "gateway.name": "" });
  });

  it("every bad flag is reported at once", () => {
    expect(
      problemsOf(() => parseStartArgs(["--bogus", "extra", "--set", "noequals", "--help=yes", "--port"])),
    ).toEqual([
      "--bogus: unknown option",
      "extra: unexpected argument",
      "--set noequals: expected path=value, as in --set iec104.k=12",
      "--help: takes no value",
      "--port: needs a value",
    ]);
    expect(problemsOf(() => parseStartArgs(["--config", "--no-simulate"]))).toEqual([
      "--config: needs a value",
    ]);
    expect(problemsOf(() => parseStartArgs(["--port", "1", "start"]))).toEqual([
      "start: unexpected argument",
    ]);
  });

  it("a negative number can be given inline", () => {
    expect(parseStartArgs(["--set=iec104.port=-1"]).overrides).toEqual({ "iec104.port": "-1" });
    expect(parseStartArgs(["--port=-1"]).overrides).toEqual({ "iec104.port": "-1" });
  });

  it("the overrides load (values coerced by loadConfig)", () => {
    const args = parseStartArgs([
      "--port",
      "2405",
      "--no-simulate",
      "--log-level",
      "warn",
      "--set",
      "iec104.k=20",
    ]);
    const { config, sources } = loadConfig({ overrides: args.overrides, env: {}, cwd: tempDir() });
    expect(config.iec104.port).toBe(2405);
    expect(config.simulator.enabled).toBe(false);
    expect(config.log.level).toBe("warn");
    expect(config.iec104.k).toBe(20);
    expect(sources).toEqual([
      "defaults",
      "cli iec104.port",
      "cli simulator.enabled",
      "cli log.level",
      "cli iec104.k",
    ]);
    const bad = parseStartArgs(["--port", "abc"]);
    expect(problemsOf(() => loadConfig({ overrides: bad.overrides, env: {}, cwd: tempDir() }))).toEqual([
      'iec104.port (command line): expected a number, got "abc"',
    ]);
  });
});

describe("usage", () => {
  it("names every flag and the setting each shortcut overrides", () => {
    const text = usage();
    for (const flag of [
      "--config",
      "--datapoints",
      "--no-simulate",
      "--set",
      "--help",
      ...Object.keys(SHORTCUTS).map((f) => `--${f}`),
    ]) {
      expect(text).toContain(flag);
    }
    for (const path of Object.values(SHORTCUTS)) expect(text).toContain(path);
    expect(text).toContain("IEC104GW_");
  });
});
