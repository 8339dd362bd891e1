/** Shapes of the linkage API answers (mirrors src/linkage/schema.ts). */

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface RunSummary {
  id: string;
  kind: 'deterministic' | 'probabilistic';
  status: RunStatus;
  startedBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  description: string;
  links: number | null;
  matchRate: number | null;
  release: { name: string; version: number } | null;
  error: { code: string; message: string } | null;
}

export interface SideCounts {
  release: string;
  version: number;
  table: string;
  column: string;
  rows: number;
  nullRows: number;
  persons: number;
  matchedPersons: number;
  unmatchedPersons: number;
  matchedRows: number;
  matchRate: number;
}

export interface DeterministicReport {
  kind: 'deterministic';
  left: SideCounts;
  right: SideCounts;
  durationMs: number;
}

export interface Level {
  key: string;
  m: number;
  u: number;
  weight: number;
  pairs: number;
}

export interface HistogramBin {
  from: number;
  pairs: number;
  links: number;
}

export interface ProbabilisticReport {
  kind: 'probabilistic';
  reference: { file: string; rows: number; rowsUsed: number; persons: number; nirExcluded: { missing: number; length: number; characters: number; key: number } };
  source: { file: string; records: number };
  settings: { blocking: string[]; uEstimation: 'em' | 'random_pairs'; termFrequency: boolean; threshold: number; thresholdWeight: number; maxIterations: number; randomPairs: number };
  key: { id: string; version: number };
  blocking: { rule: string; pairs: number }[];
  pairsScored: number;
  model: {
    lambda: number;
    sessions: { rule: string; pairs: number; lambda: number; iterations: number; converged: boolean }[];
    patterns: number;
    lastNameAgreement: number;
    comparisons: { key: string; levels: Level[] }[];
  };
  links: number;
  matchRate: number;
  referenceMatchRate: number;
  estimatedPrecision: number;
  estimatedRecall: number;
  resolutionRounds: number;
  histogram: HistogramBin[];
  release: { name: string; version: number; table: string };
  durationMs: Record<'load' | 'pseudonymise' | 'normalise' | 'compare' | 'estimate' | 'score' | 'resolve' | 'publish' | 'total', number>;
  threads: number;
  compareCpuMs: number;
  pairsPerSecondPerCore: number;
}

export interface RunView extends RunSummary {
  parameters: Record<string, unknown>;
  report: DeterministicReport | ProbabilisticReport | null;
}

export interface UploadView {
  id: string;
  name: string;
  format: 'csv' | 'parquet';
  bytes: number;
  uploadedAt: string;
}

export interface LakeRelease {
  name: string;
  version: number;
  synthetic: boolean;
  tables: { name: string; rows: number }[];
}

export const linkagePaths = {
  runs: '/admin/linkage',
  run: (id: string) => `/admin/linkage/${encodeURIComponent(id)}`,
};
