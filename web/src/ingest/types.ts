/** Shapes of the ingestion API answers (mirror src/ingest/schema.ts) and the pages' paths. */

export type Rule = 'structure' | 'type' | 'length' | 'required' | 'nomenclature' | 'date_range' | 'primary_key' | 'nir_length' | 'nir_characters' | 'nir_key';
export const rules: readonly Rule[] = ['structure', 'type', 'length', 'required', 'nomenclature', 'date_range', 'primary_key', 'nir_length', 'nir_characters', 'nir_key'];

export type LoadPolicy = 'reject' | 'quarantine';
export type LoadMode = 'replace' | 'append';
export type LoadStatus = 'validating' | 'validated' | 'rejected' | 'failed' | 'published' | 'discarded';
export type LoadPhase = 'queued' | 'read' | 'duplicates' | 'pseudonymise' | 'write' | 'done';
/** The phases a load goes through while validating, in order ('done' comes with the final status). */
export const phases = ['queued', 'read', 'duplicates', 'pseudonymise', 'write'] as const satisfies readonly LoadPhase[];

export interface Upload {
  id: string;
  table: string;
  fileName: string;
  size: number;
  received: number;
  chunkSize: number;
  status: 'receiving' | 'complete' | 'consumed' | 'abandoned';
  createdAt: string;
}

export interface ValidationReport {
  format: { kind: 'parquet' } | { kind: 'csv'; encoding: string; delimiter: string; bom: boolean };
  columns: { matched: string[]; missing: string[]; extra: string[]; dropped: string[]; pseudonymised: string[] };
  fileErrors: { code: string; column: string | null; message: string }[];
  rowsRead: number;
  rowsValid: number;
  rowsRejected: number;
  rules: { rule: Rule; column: string | null; count: number }[];
  /** The first offending rows; `line` is the file's line (the header is line 1). Values come masked (NIRs). */
  samples: { row: number; line: number; problems: { rule: Rule; column: string | null; value: string | null }[] }[];
  nir: { distinct: number; invalid: number };
}

export interface Load {
  id: string;
  table: string;
  fileName: string;
  fileBytes: number;
  fileSha256: string | null;
  policy: LoadPolicy;
  mode: LoadMode;
  status: LoadStatus;
  progress: { phase: string; done?: number; total?: number } | null;
  rowsRead: number | null;
  rowsValid: number | null;
  rowsRejected: number | null;
  report: ValidationReport | null;
  pseudonymKey: { id: string; version: number } | null;
  catalogueVersion: number | null;
  release: { name: string; version: number } | null;
  error: string | null;
  createdBy: string;
  startedAt: string;
  finishedAt: string | null;
  publishedAt: string | null;
  hasQuarantine: boolean;
}

export const ingestPaths = {
  upload: '/chargements',
  history: '/chargements/historique',
  load: (id: string) => `/chargements/${id}`,
  quarantine: (id: string) => `/api/ingest/loads/${id}/quarantine.parquet`,
};
