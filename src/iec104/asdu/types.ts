/**
 * Type identifications (IEC 60870-5-101 7.2.1 / 104 clause 8) and causes of transmission
 * (101 7.2.3), with the standard's mnemonics so they can be grepped for.
 */
export const TypeId = {
  M_SP_NA_1: 1,
  M_SP_TA_1: 2,
  M_DP_NA_1: 3,
  M_DP_TA_1: 4,
  M_ST_NA_1: 5,
  M_ST_TA_1: 6,
  M_BO_NA_1: 7,
  M_BO_TA_1: 8,
  M_ME_NA_1: 9,
  M_ME_TA_1: 10,
  M_ME_NB_1: 11,
  M_ME_TB_1: 12,
  M_ME_NC_1: 13,
  M_ME_TC_1: 14,
  M_IT_NA_1: 15,
  M_IT_TA_1: 16,
  M_EP_TA_1: 17,
  M_EP_TB_1: 18,
  M_EP_TC_1: 19,
  M_PS_NA_1: 20,
  M_ME_ND_1: 21,
  M_SP_TB_1: 30,
  M_DP_TB_1: 31,
  M_ST_TB_1: 32,
  M_BO_TB_1: 33,
  M_ME_TD_1: 34,
  M_ME_TE_1: 35,
  M_ME_TF_1: 36,
  M_IT_TB_1: 37,
  M_EP_TD_1: 38,
  M_EP_TE_1: 39,
  M_EP_TF_1: 40,
  C_SC_NA_1: 45,
  C_DC_NA_1: 46,
  C_RC_NA_1: 47,
  C_SE_NA_1: 48,
  C_SE_NB_1: 49,
  C_SE_NC_1: 50,
  C_BO_NA_1: 51,
  C_SC_TA_1: 58,
  C_DC_TA_1: 59,
  C_RC_TA_1: 60,
  C_SE_TA_1: 61,
  C_SE_TB_1: 62,
  C_SE_TC_1: 63,
  C_BO_TA_1: 64,
  M_EI_NA_1: 70,
  C_IC_NA_1: 100,
  C_CI_NA_1: 101,
  C_RD_NA_1: 102,
  C_CS_NA_1: 103,
  C_TS_NA_1: 104,
  C_RP_NA_1: 105,
  C_CD_NA_1: 106,
  C_TS_TA_1: 107,
  P_ME_NA_1: 110,
  P_ME_NB_1: 111,
  P_ME_NC_1: 112,
  P_AC_NA_1: 113,
} as const;
export type TypeId = (typeof TypeId)[keyof typeof TypeId];
export type TypeName = keyof typeof TypeId;

const NAMES = new Map<number, TypeName>(Object.entries(TypeId).map(([n, id]) => [id, n as TypeName]));

export function typeName(id: number): string {
  return NAMES.get(id) ?? `TYPE_${id}`;
}

export function isTypeId(id: number): id is TypeId {
  return NAMES.has(id);
}

export const Cot = {
  PERIODIC: 1,
  BACKGROUND_SCAN: 2,
  SPONTANEOUS: 3,
  INITIALIZED: 4,
  REQUEST: 5,
  ACTIVATION: 6,
  ACTIVATION_CON: 7,
  DEACTIVATION: 8,
  DEACTIVATION_CON: 9,
  ACTIVATION_TERMINATION: 10,
  RETURN_INFO_REMOTE: 11,
  RETURN_INFO_LOCAL: 12,
  FILE_TRANSFER: 13,
  INTERROGATED_BY_STATION: 20,
  INTERROGATED_BY_GROUP_1: 21,
  INTERROGATED_BY_GROUP_16: 36,
  REQUESTED_BY_GENERAL_COUNTER: 37,
  REQUESTED_BY_GROUP_1_COUNTER: 38,
  REQUESTED_BY_GROUP_4_COUNTER: 41,
  UNKNOWN_TYPE_ID: 44,
  UNKNOWN_CAUSE: 45,
  UNKNOWN_CA: 46,
  UNKNOWN_IOA: 47,
} as const;

const COT_NAMES: Record<number, string> = {
  1: "PERIODIC",
  2: "BACKGROUND_SCAN",
  3: "SPONTANEOUS",
  4: "INITIALIZED",
  5: "REQUEST",
  6: "ACTIVATION",
  7: "ACTIVATION_CON",
  8: "DEACTIVATION",
  9: "DEACTIVATION_CON",
  10: "ACTIVATION_TERMINATION",
  11: "RETURN_INFO_REMOTE",
  12: "RETURN_INFO_LOCAL",
  13: "FILE_TRANSFER",
  20: "INTERROGATED_BY_STATION",
  37: "REQUESTED_BY_GENERAL_COUNTER",
  44: "UNKNOWN_TYPE_ID",
  45: "UNKNOWN_CAUSE",
  46: "UNKNOWN_CA",
  47: "UNKNOWN_IOA",
};

export function cotName(cot: number): string {
  if (cot >= 21 && cot <= 36) return `INTERROGATED_BY_GROUP_${cot - 20}`;
  if (cot >= 38 && cot <= 41) return `REQUESTED_BY_GROUP_${cot - 37}_COUNTER`;
  return COT_NAMES[cot] ?? `COT_${cot}`;
}

/** Common address that addresses every station (with the 104 default of 2 CA octets). */
export const BROADCAST_CA = 0xffff;
/** Most information objects in one ASDU (7 bits of the VSQ). */
export const MAX_OBJECTS = 127;
