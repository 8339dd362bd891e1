import { z } from 'zod';
import { ruleNames } from './pipeline.js';

const tableName = z.string().regex(/^[A-Za-z0-9_]{1,64}$/);
export const idParams = z.strictObject({ id: z.uuid() });

export const createUploadBody = z.strictObject({
  table: tableName,
  fileName: z.string().min(1).max(255),
  /** bytes; up to 1 TiB */
  size: z.number().int().min(0).max(2 ** 40),
});
export const chunkQuery = z.strictObject({ offset: z.coerce.number().int().min(0) });
export const startLoadBody = z.strictObject({
  /** reject: any bad row rejects the file; quarantine: bad rows are set aside, the rest is loaded */
  policy: z.enum(['reject', 'quarantine']).default('reject'),
  /** replace: the release is the table's whole content; append: adds to the previous release */
  mode: z.enum(['replace', 'append']).default('replace'),
});
export const listLoadsQuery = z.strictObject({ table: tableName.optional() });

export const uploadView = z.object({
  id: z.string(),
  table: z.string(),
  fileName: z.string(),
  size: z.number(),
  received: z.number(),
  chunkSize: z.number(),
  status: z.enum(['receiving', 'complete', 'consumed', 'abandoned']),
  createdAt: z.string(),
});

const rule = z.enum(ruleNames);
export const reportView = z.object({
  format: z.union([z.object({ kind: z.literal('parquet') }), z.object({ kind: z.literal('csv'), encoding: z.string(), delimiter: z.string(), bom: z.boolean() })]),
  columns: z.object({ matched: z.array(z.string()), missing: z.array(z.string()), extra: z.array(z.string()), dropped: z.array(z.string()), pseudonymised: z.array(z.string()) }),
  fileErrors: z.array(z.object({ code: z.string(), column: z.string().nullable(), message: z.string() })),
  rowsRead: z.number(),
  rowsValid: z.number(),
  rowsRejected: z.number(),
  rules: z.array(z.object({ rule, column: z.string().nullable(), count: z.number() })),
  samples: z.array(z.object({ row: z.number(), line: z.number(), problems: z.array(z.object({ rule, column: z.string().nullable(), value: z.string().nullable() })) })),
  nir: z.object({ distinct: z.number(), invalid: z.number() }),
});

export const loadView = z.object({
  id: z.string(),
  table: z.string(),
  fileName: z.string(),
  fileBytes: z.number(),
  fileSha256: z.string().nullable(),
  policy: z.enum(['reject', 'quarantine']),
  mode: z.enum(['replace', 'append']),
  status: z.enum(['validating', 'validated', 'rejected', 'failed', 'published', 'discarded']),
  progress: z.object({ phase: z.string(), done: z.number().optional(), total: z.number().optional() }).nullable(),
  rowsRead: z.number().nullable(),
  rowsValid: z.number().nullable(),
  rowsRejected: z.number().nullable(),
  report: reportView.nullable(),
  pseudonymKey: z.object({ id: z.string(), version: z.number() }).nullable(),
  catalogueVersion: z.number().nullable(),
  release: z.object({ name: z.string(), version: z.number() }).nullable(),
  error: z.string().nullable(),
  createdBy: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  hasQuarantine: z.boolean(),
});
export type LoadView = z.infer<typeof loadView>;
