/**
 * Errors of the IEC 104 codec. The decoders throw nothing but `DecodeError`; the encoders throw
 * nothing but `EncodeError`. Each carries a stable `code` (for counters and tests), the field that
 * was wrong and the octet offset where it was found, so a log line can say exactly what a peer sent.
 */
export const DecodeErrorCode = {
  BAD_START: "BAD_START",
  BAD_LENGTH: "BAD_LENGTH",
  BAD_CONTROL: "BAD_CONTROL",
  BAD_U_FRAME: "BAD_U_FRAME",
  SHORT_FRAME: "SHORT_FRAME",
  ASDU_TOO_SHORT: "ASDU_TOO_SHORT",
  ZERO_COUNT: "ZERO_COUNT",
  COUNT_MISMATCH: "COUNT_MISMATCH",
  UNKNOWN_TYPE: "UNKNOWN_TYPE",
  MISSING_IOA: "MISSING_IOA",
  IOA_OVERFLOW: "IOA_OVERFLOW",
  ASDU_TOO_LONG: "ASDU_TOO_LONG",
  TRAILING_BYTES: "TRAILING_BYTES",
} as const;
export type DecodeErrorCode = (typeof DecodeErrorCode)[keyof typeof DecodeErrorCode];

export class DecodeError extends Error {
  override readonly name = "DecodeError";
  readonly code: DecodeErrorCode;
  readonly field: string;
  readonly offset: number;
  constructor(code: DecodeErrorCode, field: string, offset: number, detail: string) {
    super(`${code}: ${field} at octet ${offset}: ${detail}`);
    this.code = code;
    this.field = field;
    this.offset = offset;
  }
}

export const EncodeErrorCode = {
  OUT_OF_RANGE: "OUT_OF_RANGE",
  TOO_LARGE: "TOO_LARGE",
  UNKNOWN_TYPE: "UNKNOWN_TYPE",
  NOT_IN_104: "NOT_IN_104",
  BAD_OBJECTS: "BAD_OBJECTS",
  BAD_APCI: "BAD_APCI",
} as const;
export type EncodeErrorCode = (typeof EncodeErrorCode)[keyof typeof EncodeErrorCode];

export class EncodeError extends Error {
  override readonly name = "EncodeError";
  readonly code: EncodeErrorCode;
  readonly field: string;
  constructor(code: EncodeErrorCode, field: string, detail: string) {
    super(`${code}: ${field}: ${detail}`);
    this.code = code;
    this.field = field;
  }
}

/** Throws an `EncodeError` unless `value` is an integer in [min, max]. */
export function checkInt(field: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new EncodeError(
      EncodeErrorCode.OUT_OF_RANGE,
      field,
      `${value} is not an integer in ${min}..${max}`,
    );
  }
}
