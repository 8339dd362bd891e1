/** Defaults of REQUIREMENTS.md and the strictest merge over the hub and the perimeter's datasets. */
import { describe, expect, it } from 'vitest';
import { defaultSettings, sdcOverrideSchema, sdcSettingsSchema, strictest } from './settings.js';

describe('settings', () => {
  it('SDC-01..SDC-09: defaults from REQUIREMENTS.md (10, review zeros, (1,85) (2,90), p 10, df 10, no rounding, differencing)', () => {
    expect(defaultSettings).toMatchObject({ threshold: 10, zeroCells: 'review', dominance: [{ n: 1, k: 85 }, { n: 2, k: 90 }], pPercent: 10, minResidualDf: 10, roundingBase: null, differencing: true });
    // EXP-04: the five potential identifiers, by their SNDS names.
    for (const name of ['BEN_RES_COM', 'BEN_NAI_MOI', 'EXE_SOI_DTD', 'BEN_DCD_DTE', 'DCD_COM_COD']) expect(defaultSettings.potentialIdentifiers).toContain(name);
    expect(sdcSettingsSchema.parse(defaultSettings)).toEqual(defaultSettings);
  });

  it('SDC-01: the schemas refuse nonsense and unknown fields; overrides are partial', () => {
    expect(sdcSettingsSchema.safeParse({ ...defaultSettings, threshold: 0 }).success).toBe(false);
    expect(sdcSettingsSchema.safeParse({ ...defaultSettings, dominance: [{ n: 3, k: 90 }] }).success).toBe(false);
    expect(sdcSettingsSchema.safeParse({ ...defaultSettings, roundingBase: 1 }).success).toBe(false);
    expect(sdcSettingsSchema.safeParse({ ...defaultSettings, extra: true }).success).toBe(false);
    expect(sdcOverrideSchema.parse({ threshold: 11 })).toEqual({ threshold: 11 });
    expect(sdcOverrideSchema.safeParse({ threshold: 11, colour: 'red' }).success).toBe(false);
  });

  it('SDC-01..SDC-09: strictest of the hub and the datasets', () => {
    const merged = strictest(defaultSettings, [
      { threshold: 11, dominance: [{ n: 1, k: 80 }], potentialIdentifiers: ['CODE_POSTAL', 'ben_res_com'], roundingBase: 5 },
      { pPercent: 20, minResidualDf: 30, roundingBase: 10, dominance: [{ n: 2, k: 95 }] },
      { threshold: 5, zeroCells: 'pass', differencing: false },
    ]);
    expect(merged.threshold).toBe(11);
    expect(merged.dominance).toEqual([{ n: 1, k: 80 }, { n: 2, k: 90 }]);
    expect(merged.pPercent).toBe(20);
    expect(merged.minResidualDf).toBe(30);
    expect(merged.roundingBase).toBe(10);
    expect(merged.zeroCells).toBe('review');
    expect(merged.differencing).toBe(true);
    expect(merged.potentialIdentifiers).toContain('CODE_POSTAL');
    expect(merged.potentialIdentifiers.filter((p) => p.toLowerCase() === 'ben_res_com')).toHaveLength(1);
  });

  it('SDC-02: "review" beats "pass", differencing on if any, rounding off only when all are off', () => {
    const hub = { ...defaultSettings, zeroCells: 'pass' as const, differencing: false };
    expect(strictest(hub, []).zeroCells).toBe('pass');
    expect(strictest(hub, [{ zeroCells: 'review' }]).zeroCells).toBe('review');
    expect(strictest(hub, [{ differencing: true }]).differencing).toBe(true);
    expect(strictest(hub, [{}]).roundingBase).toBeNull();
    expect(strictest(hub, [{ roundingBase: null }, { roundingBase: 3 }]).roundingBase).toBe(3);
  });
});
