/**
 * Quality descriptors (IEC 60870-5-101 7.2.6.3 ff.). Elements keep their quality as the raw bits of
 * the octet with the value bits masked out, so the same number serves SIQ, DIQ, QDS and QDP.
 */
export const Quality = {
  /** Overflow (QDS only). */
  OV: 0x01,
  /** Elapsed-time invalid (QDP of protection events only). */
  EI: 0x08,
  /** Blocked. */
  BL: 0x10,
  /** Substituted. */
  SB: 0x20,
  /** Not topical. */
  NT: 0x40,
  /** Invalid. */
  IV: 0x80,
} as const;
export type QualityFlag = keyof typeof Quality;

/** The quality bits an SIQ/DIQ may carry (their low bits are the value). */
export const SIQ_QUALITY_MASK = 0xf0;
/** The quality bits a QDS may carry (bits 1-3 reserved). */
export const QDS_MASK = 0xf1;
/** The quality bits a QDP may carry (bits 0-2 are reserved or the event state). */
export const QDP_MASK = 0xf8;

export interface QualityFlags {
  iv?: boolean;
  nt?: boolean;
  sb?: boolean;
  bl?: boolean;
  ov?: boolean;
  ei?: boolean;
}

export function qualityFromFlags(f: QualityFlags): number {
  return (
    (f.iv ? Quality.IV : 0) |
    (f.nt ? Quality.NT : 0) |
    (f.sb ? Quality.SB : 0) |
    (f.bl ? Quality.BL : 0) |
    (f.ov ? Quality.OV : 0) |
    (f.ei ? Quality.EI : 0)
  );
}

export function qualityToFlags(q: number): Required<QualityFlags> {
  return {
    iv: (q & Quality.IV) !== 0,
    nt: (q & Quality.NT) !== 0,
    sb: (q & Quality.SB) !== 0,
    bl: (q & Quality.BL) !== 0,
    ov: (q & Quality.OV) !== 0,
    ei: (q & Quality.EI) !== 0,
  };
}

/** The names of the set flags, in the order IV NT SB BL OV EI. */
export function qualityNames(q: number): QualityFlag[] {
  const out: QualityFlag[] = [];
  for (const name of ["IV", "NT", "SB", "BL", "OV", "EI"] as const) if (q & Quality[name]) out.push(name);
  return out;
}
