/**
 * Statistical disclosure control — contrôle du secret statistique — of the output airlock (sas de
 * sortie): the shapes the checks read and write. Pure data, no I/O: the airlock service
 * (src/airlock/service.ts) captures a file from a workspace, the checks (./check.ts) grade it
 * cell by cell, the fixes (./fix.ts) propose suppression and rounding. Rules SDC-01..SDC-10 and
 * EXP-01..EXP-08 of REQUIREMENTS.md.
 */

/** What a column holds, declared by the author (a suggestion is inferred, see ./infer.ts). */
export type ColumnRole =
  /** A classification variable: age band, region, year… (variable de croisement). */
  | 'dimension'
  /** Number of units (people, stays…) in the cell: a frequency table (effectif). */
  | 'count'
  /** Sum of a quantity over the cell's units (amount reimbursed, days…): a magnitude table (montant). */
  | 'magnitude'
  /** A statistic (mean, median, rate, quantile…) over the cell's units; needs `units`. */
  | 'statistic'
  /** Auxiliary, never released: number of contributing units of a magnitude or statistic cell. */
  | 'units'
  /** Auxiliary, never released: largest contribution to a magnitude cell. */
  | 'top1'
  /** Auxiliary, never released: second-largest contribution to a magnitude cell. */
  | 'top2'
  /** A model's coefficient table (estimate, standard error, p-value): checked by degrees of freedom. */
  | 'model'
  /** Free text or anything else; still scanned for identifiers (SDC-07). */
  | 'other';

export interface ColumnSpec {
  name: string;
  role: ColumnRole;
  /** For `magnitude` and `statistic`: the `units` column counting the cell's contributors. */
  units?: string;
  /** For `magnitude`: the auxiliary columns holding the largest and second-largest contributions. */
  top1?: string;
  top2?: string;
}

/** A cell: a number, a text, empty (null), or suppressed by a fix (SUPPRESSED). */
export type Cell = number | string | null;

/** How a suppressed cell reads in a released file (secret statistique). */
export const SUPPRESSED = 's';

export interface SdcTable {
  columns: ColumnSpec[];
  /** Row-major cells, one array per row, in `columns` order. */
  rows: Cell[][];
  /** For model outputs (SDC-06): observations and estimated parameters; residual df = n − p. */
  model?: { observations: number; parameters: number };
}

/**
 * Rule settings, per hub with documented defaults and overridable per dataset; a project's file is
 * checked with the strictest value over the hub and the datasets of its perimeter (./settings.ts).
 */
export interface SdcSettings {
  /** SDC-01 / EXP-05: a count below this fails (also a statistic over fewer units). Default 10. */
  threshold: number;
  /** SDC-02: zero cells go to review (default) or pass. */
  zeroCells: 'review' | 'pass';
  /** SDC-04 / EXP-07: the top n contributors must not exceed k % of a magnitude cell. Default (1, 85) and (2, 90). */
  dominance: { n: number; k: number }[];
  /** SDC-05: (total − x1 − x2) / x1 must be at least p %. Default 10. */
  pPercent: number;
  /** SDC-06: minimum residual degrees of freedom of a model. Default 10. */
  minResidualDf: number;
  /** SDC-07 / EXP-04: column names that are potential identifiers (commune, birth year-month, care date, death date, commune of death). */
  potentialIdentifiers: string[];
  /** SDC-08: counts (and totals) must be multiples of this base; null = off (default). */
  roundingBase: number | null;
  /** SDC-09: check against the project's earlier releases. Default true. */
  differencing: boolean;
}

export type RuleId = 'SDC-01' | 'SDC-02' | 'SDC-03' | 'SDC-04' | 'SDC-05' | 'SDC-06' | 'SDC-07' | 'SDC-08' | 'SDC-09';
export type Verdict = 'pass' | 'review' | 'fail';

/** One graded observation: which rule, which cell (row index in `rows`, column name), the values involved. */
export interface Finding {
  rule: RuleId;
  verdict: Exclude<Verdict, 'pass'>;
  /** Row index (0-based, in the table's rows) or null for a whole-column or whole-table finding. */
  row: number | null;
  column: string | null;
  /** Values that made the verdict: e.g. { count: 4, threshold: 10 } or { top1: 900, total: 1000, k: 85 }. */
  values: Record<string, number | string | null>;
  /** Message key (bilingual, registered by ./messages.ts) and its parameters. */
  code: string;
  params: Record<string, string | number>;
}

export interface RuleOutcome {
  rule: RuleId;
  verdict: Verdict;
  /** Why a rule did not apply (no magnitude column, no earlier release…), for the readable report. */
  skipped?: string;
}

/** The machine-readable report of one file version. `verdict` is the worst of its rules. */
export interface FileReport {
  verdict: Verdict;
  rules: RuleOutcome[];
  findings: Finding[];
  settings: SdcSettings;
}

/** An earlier released table of the same project, for differencing (SDC-09). */
export interface EarlierRelease {
  /** Identifies the release in findings (request and file ids). */
  ref: string;
  table: SdcTable;
}
