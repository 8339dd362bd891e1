/** Inputs and outputs of the workspace API (/work/notes/workspace-contract.md); types inferred from them. */
import { z } from 'zod';

export const projectParams = z.strictObject({ id: z.uuid() });
export const queryParams = z.strictObject({ id: z.uuid(), qid: z.uuid() });
export const programParams = z.strictObject({ id: z.uuid(), pid: z.uuid() });
export const jobParams = z.strictObject({ id: z.uuid(), jid: z.uuid() });
export const tokenParams = z.strictObject({ id: z.uuid() });

/** The length limit is the hub's setting (HDH_WORKSPACE_MAX_SQL_CHARS), checked by the guard with its own error. */
const sqlText = z.string().min(1).max(10_000_000);

export const queryBody = z.strictObject({ sql: sqlText });
export const rowsQuery = z.strictObject({ offset: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(1000).default(100) });

export const programBody = z.strictObject({ name: z.string().trim().min(1).max(200), description: z.string().trim().max(5000).optional(), sql: sqlText });
export const programVersionBody = z.strictObject({ sql: sqlText, comment: z.string().trim().max(2000).optional() });
export const importBody = z.strictObject({ catalogueProgramId: z.string().trim().min(1).max(200) });

const parameterName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/);
export const jobBody = z.strictObject({
  programId: z.uuid(),
  version: z.number().int().min(1).optional(),
  parameters: z.record(parameterName, z.union([z.string().max(10_000), z.number()])).optional(),
});

export const tokenBody = z.strictObject({ projectId: z.uuid(), label: z.string().trim().min(1).max(200), expiresAt: z.iso.datetime({ offset: true }).or(z.iso.date()) });

// Views
const column = z.object({ name: z.string(), type: z.string() });

export const workspaceView = z.object({
  projectId: z.string(),
  status: z.enum(['not_provisioned', 'extracting', 'open', 'closed']),
  extract: z
    .object({
      version: z.number(),
      createdAt: z.string(),
      keyVersion: z.number(),
      excludedByOpposition: z.number(),
      oppositionApplied: z.boolean(),
      tables: z.array(z.object({ name: z.string(), rows: z.number(), columns: z.array(column.extend({ label: z.string().optional() })) })),
    })
    .nullable(),
  limits: z.object({ displayRows: z.number(), timeoutMs: z.number(), memoryMb: z.number(), maxSqlChars: z.number() }),
});

export const dictionaryView = z.array(
  z.object({
    table: z.string(),
    label: z.string(),
    source: z.enum(['extract', 'scratch']),
    kind: z.enum(['table', 'view']),
    columns: z.array(z.object({ name: z.string(), type: z.string(), label: z.string(), nomenclature: z.string().optional() })),
  }),
);

export const queryView = z.object({
  id: z.string(),
  status: z.enum(['running', 'done', 'failed', 'cancelled']),
  sql: z.string(),
  startedAt: z.string(),
  durationMs: z.number().optional(),
  progress: z.number().optional(),
  columns: z.array(column).optional(),
  rows: z.array(z.array(z.unknown())).optional(),
  rowCount: z.number().optional(),
  truncated: z.boolean().optional(),
  source: z.enum(['interactive', 'job']),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type QueryView = z.infer<typeof queryView>;

export const rowsView = z.object({ columns: z.array(column), rows: z.array(z.array(z.unknown())), offset: z.number(), rowCount: z.number() });

export const programSummaryView = z.object({ id: z.string(), name: z.string(), description: z.string(), latestVersion: z.number(), updatedAt: z.string(), updatedBy: z.string(), source: z.object({ catalogueProgramId: z.string(), version: z.number() }).nullable() });
export const programView = programSummaryView.extend({
  createdAt: z.string(),
  createdBy: z.string(),
  versions: z.array(z.object({ version: z.number(), sql: z.string(), createdAt: z.string(), createdBy: z.string(), comment: z.string().optional() })),
});

export const jobView = z.object({
  id: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
  programId: z.string(),
  version: z.number(),
  parameters: z.record(z.string(), z.union([z.string(), z.number()])),
  createdAt: z.string(),
  createdBy: z.string(),
  via: z.enum(['web', 'token']),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  log: z.array(z.string()),
  resultTables: z.array(z.string()),
});
export type JobView = z.infer<typeof jobView>;

export const tokenView = z.object({ id: z.string(), projectId: z.string(), label: z.string(), createdAt: z.string(), expiresAt: z.string(), lastUsedAt: z.string().nullable(), revokedAt: z.string().nullable() });
export const createdTokenView = tokenView.extend({ token: z.string() });

export const deletionCertificateView = z.object({
  projectId: z.string(),
  reference: z.string(),
  deletedAt: z.string(),
  deletedBy: z.string(),
  reason: z.string(),
  extracts: z.array(z.object({ version: z.number(), status: z.string(), manifestSha256: z.string().nullable(), totalRows: z.number(), tables: z.array(z.object({ name: z.string(), rows: z.number() })) })),
  scratch: z.array(z.object({ userId: z.string(), files: z.number(), bytes: z.number(), sha256: z.array(z.object({ file: z.string(), sha256: z.string() })) })),
  kept: z.array(z.string()),
  certificateSha256: z.string(),
});
export type DeletionCertificate = Omit<z.infer<typeof deletionCertificateView>, 'certificateSha256'>;
