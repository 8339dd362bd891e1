/** Inputs and outputs of record linkage — appariement (API, CLI, stored reports). */
import { z } from 'zod';
import { blockingRuleKeys } from './comparisons.js';

const releaseName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes');
const columnName = z.string().min(1).max(64);

/** A lake table's pseudonym column: one side of a deterministic linkage. */
export const lakeColumnRef = z.strictObject({
  release: releaseName,
  version: z.number().int().min(1),
  table: z.string().regex(/^[A-Za-z0-9_]{1,64}$/),
  column: columnName.default('BEN_NIR_PSA'),
});
export type LakeColumnRef = z.infer<typeof lakeColumnRef>;

export const referenceColumnsInput = z.strictObject({ nir: columnName, lastName: columnName, firstName: columnName, sex: columnName, birthDate: columnName, commune: columnName }).partial();
export const sourceColumnsInput = z.strictObject({ id: columnName, lastName: columnName, firstName: columnName, sex: columnName, birthDate: columnName, commune: columnName }).partial();

export const settingsInput = z.strictObject({
  blocking: z.array(z.enum(blockingRuleKeys as [string, ...string[]])).min(1).max(blockingRuleKeys.length).optional(),
  /** `em`: m and u by EM on the blocked pairs; `random_pairs`: u from random pairs, m by EM. */
  uEstimation: z.enum(['em', 'random_pairs']).optional(),
  termFrequency: z.boolean().optional(),
  /** Match-probability threshold of a link. */
  threshold: z.number().gt(0).lt(1).optional(),
  maxIterations: z.number().int().min(1).max(1000).optional(),
});
export type SettingsInput = z.infer<typeof settingsInput>;

export const startRunBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('deterministic'), left: lakeColumnRef, right: lakeColumnRef }),
  z.strictObject({
    kind: z.literal('probabilistic'),
    /** Name of the lake release the linkage table is published under. */
    output: releaseName,
    reference: z.strictObject({ upload: z.uuid(), columns: referenceColumnsInput.optional() }),
    source: z.strictObject({ upload: z.uuid(), columns: sourceColumnsInput.optional() }),
    settings: settingsInput.optional(),
  }),
]);
export type StartRunBody = z.infer<typeof startRunBody>;

export const runParams = z.strictObject({ id: z.uuid() });

export const uploadView = z.object({ id: z.string(), name: z.string(), format: z.enum(['csv', 'parquet']), bytes: z.number(), uploadedAt: z.string() });
export type UploadView = z.infer<typeof uploadView>;

const sideCounts = z.object({
  release: z.string(),
  version: z.number(),
  table: z.string(),
  column: z.string(),
  rows: z.number(),
  nullRows: z.number(),
  persons: z.number(),
  matchedPersons: z.number(),
  unmatchedPersons: z.number(),
  matchedRows: z.number(),
  /** matchedPersons / persons */
  matchRate: z.number(),
});

export const deterministicReport = z.object({
  kind: z.literal('deterministic'),
  left: sideCounts,
  right: sideCounts,
  durationMs: z.number(),
});
export type DeterministicReport = z.infer<typeof deterministicReport>;

const levelView = z.object({ key: z.string(), m: z.number(), u: z.number(), weight: z.number(), pairs: z.number() });

export const probabilisticReport = z.object({
  kind: z.literal('probabilistic'),
  reference: z.object({
    file: z.string(),
    rows: z.number(),
    rowsUsed: z.number(),
    persons: z.number(),
    /** Rows left out because their NIR was missing or invalid (by problem). */
    nirExcluded: z.object({ missing: z.number(), length: z.number(), characters: z.number(), key: z.number() }),
  }),
  source: z.object({ file: z.string(), records: z.number() }),
  settings: z.object({ blocking: z.array(z.string()), uEstimation: z.enum(['em', 'random_pairs']), termFrequency: z.boolean(), threshold: z.number(), thresholdWeight: z.number(), maxIterations: z.number(), randomPairs: z.number() }),
  key: z.object({ id: z.string(), version: z.number() }),
  blocking: z.array(z.object({ rule: z.string(), pairs: z.number() })),
  pairsScored: z.number(),
  model: z.object({
    /** Share of matches among all source × reference pairs (the prior of every weight). */
    lambda: z.number(),
    /** One EM session per blocking rule. */
    sessions: z.array(z.object({ rule: z.string(), pairs: z.number(), lambda: z.number(), iterations: z.number(), converged: z.boolean() })),
    patterns: z.number(),
    /** Σ tf² of last names (the average chance of an exact last-name agreement). */
    lastNameAgreement: z.number(),
    comparisons: z.array(z.object({ key: z.string(), levels: z.array(levelView) })),
  }),
  links: z.number(),
  /** links / source records */
  matchRate: z.number(),
  /** links / reference persons */
  referenceMatchRate: z.number(),
  /** Mean match probability of the links (the model's own estimate of their precision). */
  estimatedPrecision: z.number(),
  /** Expected true links among the output over the matches the model expects among the scored pairs. */
  estimatedRecall: z.number(),
  resolutionRounds: z.number(),
  /** Weight histogram of every scored pair and of the links, 1-bit bins [from, from + 1). */
  histogram: z.array(z.object({ from: z.number(), pairs: z.number(), links: z.number() })),
  release: z.object({ name: z.string(), version: z.number(), table: z.string() }),
  durationMs: z.object({ load: z.number(), pseudonymise: z.number(), normalise: z.number(), compare: z.number(), estimate: z.number(), score: z.number(), resolve: z.number(), publish: z.number(), total: z.number() }),
  threads: z.number(),
  /** CPU time of the hub process during the comparison phase (blocking joins + comparison levels). */
  compareCpuMs: z.number(),
  /** Scored pairs per CPU-second of the comparison phase: pairs per second per core, whatever else shares the machine. */
  pairsPerSecondPerCore: z.number(),
});
export type ProbabilisticReport = z.infer<typeof probabilisticReport>;

export const report = z.discriminatedUnion('kind', [deterministicReport, probabilisticReport]);
export type LinkageReport = z.infer<typeof report>;

export const runStatus = z.enum(['queued', 'running', 'succeeded', 'failed']);
export type RunStatus = z.infer<typeof runStatus>;

export const runSummary = z.object({
  id: z.string(),
  kind: z.enum(['deterministic', 'probabilistic']),
  status: runStatus,
  startedBy: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** What was linked, in words (file or table names — never contents). */
  description: z.string(),
  links: z.number().nullable(),
  matchRate: z.number().nullable(),
  release: z.object({ name: z.string(), version: z.number() }).nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type RunSummary = z.infer<typeof runSummary>;

export const runView = runSummary.extend({ parameters: z.record(z.string(), z.unknown()), report: report.nullable() });
export type RunView = z.infer<typeof runView>;
