/**
 * Rule settings: the hub's defaults (REQUIREMENTS.md SDC-01..SDC-09, ADR 0014), their zod schemas,
 * and the strictest merge over the hub and the datasets of a project's perimeter (périmètre):
 * a file is checked with the strictest value of every setting.
 */
import { z } from 'zod';
import { normalise } from './cells.js';
import type { SdcSettings } from './types.js';

/**
 * Potential identifiers (EXP-04, "5-variable blocklist": commune of residence, birth year-month,
 * care date, death date, commune of death): the SNDS column names (schema-snds: BENEFICIAIRE,
 * DCIR, PMSI, Causes de décès) and the generic names a program's output uses.
 */
export const defaultPotentialIdentifiers: string[] = [
  // Commune of residence (commune de résidence)
  'BEN_RES_COM',
  'commune',
  'code_commune',
  'commune_residence',
  'com_residence',
  'code_insee_commune',
  // Birth year and month (année et mois de naissance)
  'BEN_NAI_ANM',
  'BEN_NAI_MOI',
  'date_naissance',
  'mois_naissance',
  'annee_mois_naissance',
  'birth_date',
  'date_of_birth',
  // Care date (date des soins)
  'EXE_SOI_DTD',
  'EXE_SOI_DTF',
  'date_soins',
  'date_soin',
  'care_date',
  // Death date (date de décès)
  'BEN_DCD_DTE',
  'BEN_DCD_DTD',
  'date_deces',
  'death_date',
  // Commune of death (commune de décès)
  'DCD_COM_COD',
  'commune_deces',
];

/** REQUIREMENTS.md defaults: threshold 10, zeros reviewed, (1, 85) and (2, 90), p 10 %, 10 df, no rounding, differencing on. */
export const defaultSettings: SdcSettings = {
  threshold: 10,
  zeroCells: 'review',
  dominance: [
    { n: 1, k: 85 },
    { n: 2, k: 90 },
  ],
  pPercent: 10,
  minResidualDf: 10,
  potentialIdentifiers: defaultPotentialIdentifiers,
  roundingBase: null,
  differencing: true,
};

/** A dominance rule: n is 1 or 2 because a magnitude cell carries its two largest contributions (top1, top2). */
const dominanceRule = z.strictObject({ n: z.number().int().min(1).max(2), k: z.number().gt(0).max(100) });

const settingsShape = {
  threshold: z.number().int().min(1).max(1000),
  zeroCells: z.enum(['review', 'pass']),
  dominance: z.array(dominanceRule).max(4),
  pPercent: z.number().min(0).max(100),
  minResidualDf: z.number().int().min(0).max(100_000),
  potentialIdentifiers: z.array(z.string().trim().min(1).max(100)).max(500),
  roundingBase: z.number().int().min(2).max(1000).nullable(),
  differencing: z.boolean(),
};

/** The hub's full settings (PUT /api/airlock/settings/hub). */
export const sdcSettingsSchema = z.strictObject(settingsShape);
/** A dataset's overrides: any subset (PUT /api/airlock/settings/datasets/:slug). */
export const sdcOverrideSchema = z.strictObject(settingsShape).partial();

/**
 * The strictest of the hub's settings and the datasets' overrides: the higher threshold, p % and
 * residual df; per n the smaller k (and every n any of them names); the union of the potential
 * identifiers; rounding to the larger base (any base beats none); zeros reviewed if any says so;
 * differencing on if any says so.
 */
export function strictest(hub: SdcSettings, overrides: Partial<SdcSettings>[]): SdcSettings {
  const all: Partial<SdcSettings>[] = [hub, ...overrides];
  const pick = <K extends keyof SdcSettings>(key: K): NonNullable<SdcSettings[K]>[] =>
    all.map((s) => s[key]).filter((v): v is NonNullable<SdcSettings[K]> => v !== undefined && v !== null);
  const dominance = new Map<number, number>();
  for (const rules of pick('dominance')) for (const { n, k } of rules) dominance.set(n, Math.min(k, dominance.get(n) ?? Infinity));
  const identifiers = new Map<string, string>();
  for (const list of pick('potentialIdentifiers')) for (const name of list) if (!identifiers.has(normalise(name))) identifiers.set(normalise(name), name);
  const bases = pick('roundingBase');
  return {
    threshold: Math.max(...pick('threshold')),
    zeroCells: pick('zeroCells').includes('review') ? 'review' : 'pass',
    dominance: [...dominance].sort(([a], [b]) => a - b).map(([n, k]) => ({ n, k })),
    pPercent: Math.max(...pick('pPercent')),
    minResidualDf: Math.max(...pick('minResidualDf')),
    potentialIdentifiers: [...identifiers.values()],
    roundingBase: bases.length > 0 ? Math.max(...bases) : null,
    differencing: pick('differencing').includes(true),
  };
}
