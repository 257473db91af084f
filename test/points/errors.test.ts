/**
 * Every problem the loader reports, with its exact `path: message` line naming the point, and that
 * all of a file's problems come at once.
 */
import { describe, expect, it } from "vitest";
import { load, problems } from "./helpers.js";

describe("type ids", () => {
  it("refuses a type id that does not exist", () => {
    expect(problems({ Netzfrequenz: { IOAddress: 262176, "Type IEC": 99, "Unit / Einheit": "Hz" } })).toEqual(
      ['"Netzfrequenz"."Type IEC": 99 is not a supported type'],
    );
  });

  it("refuses the CP24Time2a forms IEC 104 does not send, naming the CP56 form to use", () => {
    const cp24: [number, string, string][] = [
      [2, "M_SP_TA_1", "30 (M_SP_TB_1)"],
      [4, "M_DP_TA_1", "31 (M_DP_TB_1)"],
      [6, "M_ST_TA_1", "32 (M_ST_TB_1)"],
      [8, "M_BO_TA_1", "33 (M_BO_TB_1)"],
      [10, "M_ME_TA_1", "34 (M_ME_TD_1)"],
      [12, "M_ME_TB_1", "35 (M_ME_TE_1)"],
      [14, "M_ME_TC_1", "36 (M_ME_TF_1)"],
      [16, "M_IT_TA_1", "37 (M_IT_TB_1)"],
      [17, "M_EP_TA_1", "38 (M_EP_TD_1)"],
      [18, "M_EP_TB_1", "39 (M_EP_TE_1)"],
      [19, "M_EP_TC_1", "40 (M_EP_TF_1)"],
    ];
    for (const [id, name, use] of cp24) {
      const line = `"X"."Type IEC": ${id} (${name}) is not a supported type: IEC 104 sends no CP24Time2a time tags; use ${use}`;
      expect(problems({ X: { "Type IEC": id } })).toEqual([line]);
      expect(problems({ X: { "Type IEC": name } })).toEqual([line]);
    }
  });

  it("refuses system, parameter and file-transfer types", () => {
    expect(
      problems({ A: { "Type IEC": 70 }, B: { "Type IEC": 100 }, C: { "Type IEC": "C_CS_NA_1" } }),
    ).toEqual([
      '"A"."Type IEC": 70 (M_EI_NA_1) is not a supported type: end of initialization is sent by the outstation itself',
      '"B"."Type IEC": 100 (C_IC_NA_1) is not a supported type: it is a system command, not a point',
      '"C"."Type IEC": 103 (C_CS_NA_1) is not a supported type: it is a system command, not a point',
    ]);
    expect(problems({ P: { "Type IEC": 112 }, F: { "Type IEC": 122 } })).toEqual([
      '"P"."Type IEC": 112 (P_ME_NC_1) is not a supported type: it is a parameter type, not a point',
      '"F"."Type IEC": 122 is not a supported type: file transfer is not served',
    ]);
    for (const id of [22, 29, 41, 44, 52, 57, 65, 69, 99, 108, 109, 114, 127, 128, 255]) {
      expect(problems({ X: { "Type IEC": id } })[0]).toMatch(
        new RegExp(`^"X"."Type IEC": ${id} .*is not a supported type`),
      );
    }
  });

  it("refuses non-integers, unknown mnemonics, other JSON and a missing type", () => {
    expect(
      problems({
        A: { "Type IEC": 36.5 },
        B: { "Type IEC": "M_ME_XX_1" },
        C: { "Type IEC": [36] },
        D: { "Unit / Einheit": "Hz" },
        E: { "Type IEC": 0 },
        F: { "Type IEC": null },
      }),
    ).toEqual([
      '"A"."Type IEC": 36.5 is not a type id (an integer 1..255)',
      '"B"."Type IEC": "M_ME_XX_1" is not a type mnemonic (e.g. "M_ME_TF_1")',
      '"C"."Type IEC": [36] is not a type id or mnemonic (e.g. 36 or "M_ME_TF_1")',
      '"D"."Type IEC": is required: the IEC type id (e.g. 36) or its mnemonic (e.g. "M_ME_TF_1")',
      '"E"."Type IEC": 0 is not a type id (an integer 1..255)',
      '"F"."Type IEC": null is not a type id or mnemonic (e.g. 36 or "M_ME_TF_1")',
    ]);
  });
});

describe("fields", () => {
  it("refuses unknown fields by name, with a hint when one looks meant", () => {
    expect(
      problems({
        A: { "Type IEC": 36, Unit: "Hz", dedband: 1, IOAdress: 5, colour: "red", "type iec": 36 },
      }),
    ).toEqual([
      '"A"."Unit": unknown field (did you mean "Unit / Einheit"?)',
      '"A"."dedband": unknown field (did you mean "deadband"?)',
      '"A"."IOAdress": unknown field (did you mean "IOAddress"?)',
      '"A"."colour": unknown field',
      '"A"."type iec": unknown field (did you mean "Type IEC"?)',
    ]);
  });

  it("refuses values of the wrong type or range, with the value", () => {
    expect(
      problems({
        A: {
          "Type IEC": 36,
          "Unit / Einheit": 5,
          ca: 0,
          groups: [1, 17],
          deadband: -1,
          cyclicMs: 1.5,
          backgroundMs: 2147483648,
          spontaneous: "yes",
          staleAfterMs: -1,
        },
        B: { "Type IEC": 36, ca: 65535, groups: "1" },
        C: { "Type IEC": 37, counterGroup: 5 },
      }),
    ).toEqual([
      '"A"."Unit / Einheit": 5 is not a unit (a string, "" for none)',
      '"A"."ca": 0 is not an integer in 1..65534',
      '"A"."groups"[1]: 17 is not an integer in 1..16',
      '"A"."deadband": -1 is not a number >= 0',
      '"A"."cyclicMs": 1.5 is not a whole number of ms in 0..2147483647',
      '"A"."backgroundMs": 2147483648 is not a whole number of ms in 0..2147483647',
      '"A"."spontaneous": "yes" is not true or false',
      '"A"."staleAfterMs": -1 is not a whole number of ms in 0..2147483647',
      '"B"."ca": 65535 is not an integer in 1..65534',
      '"B"."groups": "1" is not a list of interrogation groups 1..16 (e.g. [1, 3])',
      '"C"."counterGroup": 5 is not an integer in 1..4',
    ]);
  });

  it("refuses a point that is not an object and a point without a name", () => {
    expect(problems({ A: 36, B: [], "": { "Type IEC": 36 } })).toEqual([
      '"A": must be an object of fields ({"Type IEC": 36, "Unit / Einheit": "Hz", ...}), not 36',
      '"B": must be an object of fields ({"Type IEC": 36, "Unit / Einheit": "Hz", ...}), not []',
      '"": a point needs a name (the key must not be empty)',
    ]);
  });

  it("refuses groups on integrated totals and protection events, counterGroup and deadband where they do not apply", () => {
    expect(
      problems({
        Energy: { "Type IEC": 37, groups: [1] },
        Event: { "Type IEC": 38, groups: [3] },
        Alarm: { "Type IEC": 30, counterGroup: 1, deadband: 1 },
        Counter: { "Type IEC": "M_IT_NA_1", deadband: 10 },
      }),
    ).toEqual([
      '"Energy"."groups": integrated totals are not in station or group interrogation: use "counterGroup" (1..4) for counter interrogation',
      '"Event"."groups": protection events are not interrogated (they are only sent spontaneously); this point is 38 (M_EP_TD_1)',
      '"Alarm"."counterGroup": only for integrated totals (15 M_IT_NA_1, 37 M_IT_TB_1); this point is 30 (M_SP_TB_1)',
      '"Alarm"."deadband": only for measured values (9, 11, 13, 21, 34, 35, 36); this point is 30 (M_SP_TB_1)',
      '"Counter"."deadband": only for measured values (9, 11, 13, 21, 34, 35, 36); this point is 15 (M_IT_NA_1)',
    ]);
  });

  it("refuses command fields on monitoring points and monitoring fields on commands", () => {
    expect(
      problems({
        Freq: { "Type IEC": 36, select: "direct", commandMode: "auto" },
        Cmd: { "Type IEC": 45, deadband: 1, simulate: false, initial: 1 },
      }),
    ).toEqual([
      '"Freq"."select": only for command points (types 45..51, 58..64); this point is 36 (M_ME_TF_1)',
      '"Freq"."commandMode": only for command points (types 45..51, 58..64); this point is 36 (M_ME_TF_1)',
      '"Cmd"."deadband": only for monitoring points; this point is the command 45 (C_SC_NA_1)',
      '"Cmd"."simulate": only for monitoring points; this point is the command 45 (C_SC_NA_1)',
      '"Cmd"."initial": only for monitoring points; this point is the command 45 (C_SC_NA_1)',
    ]);
  });

  it("refuses bad command fields", () => {
    expect(
      problems({
        A: { "Type IEC": 46, commandMode: "manual", select: "sbo", actTerm: 1, status: "" },
        B: { "Type IEC": 46, statusIoa: "2001" },
      }),
    ).toEqual([
      '"A"."commandMode": "manual" is not one of "auto", "mqtt", "reject"',
      '"A"."select": "sbo" is not one of "direct", "select", "both"',
      '"A"."actTerm": 1 is not true or false',
      '"A"."status": "" is not a point name',
      '"B"."statusIoa": "2001" is not an integer in 0..16777215',
    ]);
  });

  it("refuses a field without a topic, a wildcard topic and a malformed field path", () => {
    expect(
      problems({
        A: { "Type IEC": 36, field: "temperature" },
        B: { "Type IEC": 36, topic: "site/+/weather" },
        C: { "Type IEC": 36, topic: "site/#" },
        D: { "Type IEC": 36, topic: "" },
        E: { "Type IEC": 36, topic: "site/weather", field: "air..temperature" },
        F: { "Type IEC": 36, topic: 5 },
      }),
    ).toEqual([
      `"A"."field": needs "topic": the field is read from that topic's JSON payload`,
      '"B"."topic": "site/+/weather" is not a topic to read from: it holds a wildcard (+ or #); name one topic',
      '"C"."topic": "site/#" is not a topic to read from: it holds a wildcard (+ or #); name one topic',
      '"D"."topic": "" is not a topic to read from: it is empty',
      '"E"."field": "air..temperature" is not a field path (keys joined by single dots, e.g. "data.temperature")',
      '"F"."topic": 5 is not an MQTT topic (a string)',
    ]);
  });

  it("refuses bad simulate values", () => {
    expect(
      problems({
        A: { "Type IEC": 36, simulate: "" },
        B: { "Type IEC": 36, simulate: 5 },
        C: { "Type IEC": 36, simulate: { nominal: 230 } },
        D: { "Type IEC": 36, simulate: { profile: "voltage", range: [1, 2] } },
        E: { "Type IEC": 37, simulate: { profile: "energy", source: "Nowhere" } },
        F: { "Type IEC": 45 },
        G: { "Type IEC": 37, simulate: { profile: "energy", source: "F" } },
      }),
    ).toEqual([
      '"A"."simulate": "" is not a profile name',
      '"B"."simulate": 5 is not false, a profile name or {"profile": ..., ...params}',
      '"C"."simulate"."profile": is required (e.g. "voltage")',
      '"D"."simulate"."range": [1,2] is not a profile parameter (a number, string or boolean)',
      '"E"."simulate"."source": "Nowhere" is not a point in this file',
      '"G"."simulate"."source": "F" is a command point, not a monitoring point',
    ]);
  });

  it("refuses initial values out of the type's range and bad qualities", () => {
    expect(
      problems({
        A: { "Type IEC": 30, initial: 2 },
        B: { "Type IEC": 32, initial: 64 },
        C: { "Type IEC": 34, initial: { value: 1.5 } },
        D: { "Type IEC": 11, initial: 0.5 },
        E: { "Type IEC": 36, initial: { quality: 0 } },
        F: { "Type IEC": 36, initial: { value: 1, quality: ["XX"] } },
        G: { "Type IEC": 36, initial: { value: 1, quality: 256 } },
        H: { "Type IEC": 36, initial: "high" },
        I: { "Type IEC": 36, initial: { value: 1, ts: 0 } },
      }),
    ).toEqual([
      '"A"."initial": 2 is out of range 0..1 for 30 (M_SP_TB_1)',
      '"B"."initial": 64 is out of range -64..63 for 32 (M_ST_TB_1)',
      '"C"."initial"."value": 1.5 is out of range -1..1 for 34 (M_ME_TD_1)',
      '"D"."initial": 0.5 is not an integer: 11 (M_ME_NB_1) holds whole numbers -32768..32767',
      '"E"."initial"."value": is required (a number or true/false)',
      '"F"."initial"."quality"[0]: "XX" is not one of "OV", "EI", "BL", "SB", "NT", "IV"',
      '"G"."initial"."quality": 256 is not an integer in 0..255',
      '"H"."initial": "high" is not an initial value (a number or {"value": ..., "quality": ...})',
      '"I"."initial"."ts": unknown field',
    ]);
  });
});

describe("addresses in use", () => {
  it("refuses two monitoring points (or two commands) at one IOA of a station, naming both", () => {
    expect(
      problems({
        A: { IOAddress: 10, "Type IEC": 36 },
        B: { IOAddress: 10, "Type IEC": 30 },
        C: { IOAddress: 20, "Type IEC": 45 },
        D: { HighByte: 0, MiddleByte: 0, LowByte: 20, "Type IEC": 46 },
        E: { IOAddress: 10, "Type IEC": 36, ca: 2 },
      }),
    ).toEqual([
      '"B"."IOAddress": IOA 10 in station 1 is already used by "A" (two monitoring points cannot share an address)',
      '"D": IOA 20 in station 1 is already used by "C" (two commands cannot share an address)',
    ]);
  });

  it("counts the default common address as the station of points without ca", () => {
    expect(
      problems(
        { A: { IOAddress: 10, "Type IEC": 36 }, B: { IOAddress: 10, "Type IEC": 36, ca: 5 } },
        { defaultCa: 5 },
      ),
    ).toEqual([
      '"B"."IOAddress": IOA 10 in station 5 is already used by "A" (two monitoring points cannot share an address)',
    ]);
  });

  it("refuses a name given twice, which JSON.parse would silently merge", () => {
    const text =
      '{\n  "A": {"Type IEC": 36},\n  "B": {"Type IEC": 30, "Type IEC": 31},\n  "A": {"Type IEC": 30}\n}';
    expect(problems(text)).toEqual([
      '"A": defined twice (lines 2 and 4); JSON keeps only the last: rename one',
      '"B"."Type IEC": given twice (line 3); JSON keeps only the last',
    ]);
  });
});

describe("status links", () => {
  const base = {
    Breaker: { IOAddress: 2001, "Type IEC": 31 },
    Energy: { IOAddress: 3001, "Type IEC": 37 },
    "Remote breaker": { IOAddress: 2001, "Type IEC": 31, ca: 2 },
    Reset: { IOAddress: 5011, "Type IEC": 45 },
  };

  it("refuses links to unknown names, commands, other stations and types that cannot reflect the command", () => {
    expect(
      problems({
        ...base,
        A: { IOAddress: 5001, "Type IEC": 46, status: "Breakr" },
        B: { IOAddress: 5002, "Type IEC": 46, status: "Reset" },
        C: { IOAddress: 5003, "Type IEC": 46, status: "Remote breaker" },
        D: { IOAddress: 5004, "Type IEC": 46, status: "Energy" },
        E: { IOAddress: 5005, "Type IEC": 47, status: "Breaker" },
        F: { IOAddress: 5006, "Type IEC": 50, statusIoa: 3001 },
        G: { IOAddress: 5007, "Type IEC": 46, statusIoa: 2999 },
        H: { IOAddress: 5008, "Type IEC": 46, statusIoa: 5011 },
        I: { IOAddress: 5009, "Type IEC": 46, status: "Breaker", statusIoa: 2001 },
        J: { IOAddress: 5010, "Type IEC": 51, status: "Breaker" },
      }),
    ).toEqual([
      '"A"."status": "Breakr" is not a point in this file',
      '"B"."status": "Reset" is the command 45 (C_SC_NA_1), not a monitoring point',
      `"C"."status": "Remote breaker" is in station 2, not in this command's station 1`,
      '"D"."status": "Energy" is 37 (M_IT_TB_1), which cannot reflect 46 (C_DC_NA_1): link a single or double point (1, 3, 30, 31)',
      '"E"."status": "Breaker" is 31 (M_DP_TB_1), which cannot reflect 47 (C_RC_NA_1): link a step position or measured value (5, 9, 11, 13, 21, 32, 34, 35, 36)',
      '"F"."statusIoa": 3001 ("Energy") is 37 (M_IT_TB_1), which cannot reflect 50 (C_SE_NC_1): link a step position or measured value (5, 9, 11, 13, 21, 32, 34, 35, 36)',
      '"G"."statusIoa": 2999 is not a monitoring point of station 1',
      '"H"."statusIoa": 5011 is not a monitoring point of station 1',
      '"I"."statusIoa": give either "status" or "statusIoa", not both',
      '"J"."status": "Breaker" is 31 (M_DP_TB_1), which cannot reflect 51 (C_BO_NA_1): link a bitstring (7, 33)',
    ]);
  });
});

describe("the file", () => {
  it("reports invalid JSON with line and column", () => {
    expect(problems('{\n  "A": {"Type IEC": 36},\n  "B": {"Type IEC": 36,}\n}')).toEqual([
      "test.json:3:24: invalid JSON: expected a double-quoted property name",
    ]);
    expect(problems('{\n  "A": {"Type IEC": 36}\n  "B": {}\n}')).toEqual([
      "test.json:3:3: invalid JSON: expected ',' or '}'",
    ]);
    expect(problems('{"A": {"Type IEC": tru}}')).toEqual(['test.json:1:20: invalid JSON: unexpected "tru"']);
    expect(problems("")).toEqual(["test.json:1:1: invalid JSON: unexpected end of the text"]);
    expect(problems('{"A": 1} x')).toEqual([
      "test.json:1:10: invalid JSON: unexpected text after the end of the JSON value",
    ]);
  });

  it("refuses a file that is not an object of points", () => {
    for (const text of ["[]", "null", "36", '"Datapoints"']) {
      expect(problems(text)).toEqual([
        `test.json: must be a JSON object mapping point names to points ({"Grid frequency": {"Type IEC": 36, ...}}), not ${text}`,
      ]);
    }
  });

  it("lists every problem of every point at once, in file order", () => {
    const lines = problems({
      Netzfrequenz: { IOAddress: 262176, HighByte: 5, "Type IEC": 99, "Unit / Einheit": "Hz", groups: [0] },
      Fine: { IOAddress: 1, "Type IEC": 36 },
      Counter: { IOAddress: 1, "Type IEC": 37, groups: [1], counterGroup: 1 },
      Duplicate: { IOAddress: 1, "Type IEC": 30 },
      Command: { IOAddress: 5001, "Type IEC": 46, status: "Counter", simulate: "breaker" },
    });
    expect(lines).toEqual([
      '"Netzfrequenz"."HighByte": 5 does not match IOAddress 262176 (its high byte is 4)',
      '"Netzfrequenz"."Type IEC": 99 is not a supported type',
      '"Netzfrequenz"."groups"[0]: 0 is not an integer in 1..16',
      '"Counter"."IOAddress": IOA 1 in station 1 is already used by "Fine" (two monitoring points cannot share an address)',
      '"Counter"."groups": integrated totals are not in station or group interrogation: use "counterGroup" (1..4) for counter interrogation',
      '"Duplicate"."IOAddress": IOA 1 in station 1 is already used by "Fine" (two monitoring points cannot share an address)',
      '"Command"."status": "Counter" is 37 (M_IT_TB_1), which cannot reflect 46 (C_DC_NA_1): link a single or double point (1, 3, 30, 31)',
      '"Command"."simulate": only for monitoring points; this point is the command 46 (C_DC_NA_1)',
    ]);
  });
});

describe("transmission causes the type does not take", () => {
  it("refuses periodic transmission except on measured values, and background scans of counters and protection", () => {
    expect(
      problems({
        Breaker: { IOAddress: 1, "Type IEC": 31, cyclicMs: 1000 },
        Energy: { IOAddress: 2, "Type IEC": 37, backgroundMs: 60000 },
        Trip: { IOAddress: 3, "Type IEC": 38, backgroundMs: 60000 },
        Voltage: { IOAddress: 4, "Type IEC": 36, cyclicMs: 1000, backgroundMs: 60000 },
        Alarm: { IOAddress: 5, "Type IEC": 30, backgroundMs: 60000, cyclicMs: 0 },
      }),
    ).toEqual([
      '"Breaker"."cyclicMs": periodic transmission (COT 1) is only for measured values (9, 11, 13, 21, 34, 35, 36); this point is 31 (M_DP_TB_1)',
      '"Energy"."backgroundMs": background scan (COT 2) is not for integrated totals or protection events; this point is 37 (M_IT_TB_1)',
      '"Trip"."backgroundMs": background scan (COT 2) is not for integrated totals or protection events; this point is 38 (M_EP_TD_1)',
    ]);
  });

  it("refuses select-before-operate on bitstring commands, which have no select bit", () => {
    expect(problems({ Bits: { IOAddress: 9, "Type IEC": 51, select: "select" } })).toEqual([
      '"Bits"."select": 51 (C_BO_NA_1) has no select bit, so select-before-operate can never complete: use "direct"',
    ]);
    expect(load({ Bits: { IOAddress: 9, "Type IEC": 64, select: "direct" } }).points).toHaveLength(1);
  });
});
