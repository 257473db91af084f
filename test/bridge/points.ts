/**
 * The Datapoints.json of most bridge tests: one point of each kind the bridge converts, in two
 * stations, and command points in every command mode with status links.
 */

/** IOAs of the standard points (CA 1 unless noted). */
export const P = {
  voltage: 1001, // M_ME_TF_1, kV
  scaled: 1002, // M_ME_TE_1
  normalized: 1003, // M_ME_TD_1
  external: 1010, // M_ME_TF_1 read from an external topic's JSON field
  tap: 1020, // M_ST_TB_1
  breaker: 2001, // M_DP_TB_1
  alarm: 2002, // M_SP_TB_1
  flag: 2003, // M_SP_NA_1 (untimed)
  isolator: 2004, // M_DP_TB_1
  setpointFeedback: 1030, // M_ME_TF_1, status of the set-point command
  energy: 3001, // M_IT_TB_1, counter group 1, spontaneous
  /** CA 2. */
  other: 1001, // M_ME_NC_1
  // commands (CA 1)
  breakerCmdAuto: 5001, // C_DC_NA_1, select-before-operate, auto, status breaker
  breakerCmdMqtt: 5002, // C_DC_NA_1, both, mqtt, status breaker
  isolatorCmdMqtt: 5003, // C_DC_NA_1, select only, mqtt, status isolator
  rejected: 5004, // C_SC_NA_1, reject
  alarmCmd: 5005, // C_SC_NA_1, direct, auto, status alarm
  setpointMqtt: 5006, // C_SE_NC_1, direct, mqtt, status setpointFeedback
} as const;

/** The standard points; `externalTopic` is the topic the external point reads `air.temperature` of. */
export function standardPoints(externalTopic: string): Record<string, unknown> {
  const m = (ioa: number, type: number, extra: Record<string, unknown> = {}) => ({
    IOAddress: ioa,
    "Type IEC": type,
    "Unit / Einheit": "",
    ca: 1,
    simulate: false,
    ...extra,
  });
  return {
    Voltage: m(P.voltage, 36, { "Unit / Einheit": "kV", groups: [1] }),
    "Scaled value": m(P.scaled, 35, { groups: [1] }),
    "Normalized value": m(P.normalized, 34, { groups: [1] }),
    "Ambient temperature": m(P.external, 36, {
      "Unit / Einheit": "°C",
      topic: externalTopic,
      field: "air.temperature",
    }),
    "Tap position": m(P.tap, 32, { groups: [2], initial: 0 }),
    Breaker: m(P.breaker, 31, { groups: [2], initial: 2 }),
    Alarm: m(P.alarm, 30, { groups: [3] }),
    Flag: m(P.flag, 1, { groups: [3] }),
    Isolator: m(P.isolator, 31, { groups: [2], initial: 2 }),
    "Set-point feedback": m(P.setpointFeedback, 36, { "Unit / Einheit": "MW" }),
    Energy: m(P.energy, 37, { "Unit / Einheit": "kWh", counterGroup: 1, spontaneous: true }),
    "Other station value": m(P.other, 13, { ca: 2, groups: [1] }),
    "Breaker command": {
      IOAddress: P.breakerCmdAuto,
      "Type IEC": 46,
      ca: 1,
      select: "select",
      status: "Breaker",
      commandMode: "auto",
    },
    "Breaker command (executor)": {
      IOAddress: P.breakerCmdMqtt,
      "Type IEC": 46,
      ca: 1,
      select: "both",
      status: "Breaker",
      commandMode: "mqtt",
    },
    "Isolator command (executor)": {
      IOAddress: P.isolatorCmdMqtt,
      "Type IEC": 46,
      ca: 1,
      select: "select",
      status: "Isolator",
      commandMode: "mqtt",
    },
    "Refused command": { IOAddress: P.rejected, "Type IEC": 45, ca: 1, commandMode: "reject" },
    "Alarm command": {
      IOAddress: P.alarmCmd,
      "Type IEC": 45,
      ca: 1,
      select: "direct",
      status: "Alarm",
      commandMode: "auto",
    },
    "Set-point (executor)": {
      IOAddress: P.setpointMqtt,
      "Type IEC": 50,
      ca: 1,
      select: "direct",
      status: "Set-point feedback",
      commandMode: "mqtt",
    },
  };
}

/** A topic no other test uses (for external source and availability topics on a shared broker). */
export function uniqueTopic(what: string): string {
  return `ext${process.pid}x${Math.random().toString(36).slice(2, 10)}/${what}`;
}
