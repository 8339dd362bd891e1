/**
 * Shapes of the output airlock's API (/work/notes/airlock-contract.md): bodies (strict: an unknown
 * field is a 400) and views. The check report's shape mirrors ./sdc/types.ts.
 */
import { z } from 'zod';
import { sdcOverrideSchema, sdcSettingsSchema } from './sdc/index.js';
import type { ColumnRole, RuleId } from './sdc/types.js';
import { decisions, requestStatuses } from './workflow.js';

export const columnRoles = ['dimension', 'count', 'magnitude', 'statistic', 'units', 'top1', 'top2', 'model', 'other'] as const satisfies readonly ColumnRole[];
const ruleIds = ['SDC-01', 'SDC-02', 'SDC-03', 'SDC-04', 'SDC-05', 'SDC-06', 'SDC-07', 'SDC-08', 'SDC-09'] as const satisfies readonly RuleId[];
const verdicts = ['pass', 'review', 'fail'] as const;
export const mediaTypes = ['image/svg+xml', 'image/png'] as const;

const id = z.uuid();
export const projectParams = z.strictObject({ id });
export const requestParams = z.strictObject({ id, rid: id });
export const fileParams = z.strictObject({ id, rid: id, fid: id });
export const attachmentParams = z.strictObject({ id, rid: id, fid: id, aid: id });
export const versionParams = z.strictObject({ id, rid: id, fid: id, v: z.coerce.number().int().min(1) });
export const datasetParams = z.strictObject({ slug: z.string().min(1).max(120) });
export const resultParams = z.strictObject({ fileId: id });

export const cell = z.union([z.number(), z.string(), z.null()]);

export const columnSpec = z.strictObject({
  name: z.string().min(1).max(200),
  role: z.enum(columnRoles),
  units: z.string().max(200).optional(),
  top1: z.string().max(200).optional(),
  top2: z.string().max(200).optional(),
});

export const modelInput = z.strictObject({ observations: z.number().int().min(0), parameters: z.number().int().min(0) });

/** Context — contexte: what the file is, its population, how it was computed (required, EXP-08). */
const context = z.string().trim().min(20).max(10_000);
const fileName = z.string().trim().min(1).max(200);

export const createRequestBody = z.strictObject({ title: z.string().trim().min(1).max(200) });

export const addFileBody = z.strictObject({
  name: fileName,
  context,
  source: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('query'), queryId: id }),
    z.strictObject({ kind: z.literal('table'), table: z.string().min(1).max(200) }),
    z.strictObject({ kind: z.literal('csv'), content: z.string().min(1).max(20 * 1024 * 1024) }),
  ]),
  columns: z.array(columnSpec).min(1).max(1000).optional(),
  model: modelInput.optional(),
  attachments: z.array(z.strictObject({ name: z.string().trim().min(1).max(200), mediaType: z.enum(mediaTypes), contentBase64: z.string().min(1) })).max(10).optional(),
});
export type AddFileInput = z.infer<typeof addFileBody>;

export const patchFileBody = z.strictObject({
  name: fileName.optional(),
  context: context.optional(),
  columns: z.array(columnSpec).min(1).max(1000).optional(),
  model: modelInput.nullable().optional(),
});
export type PatchFileInput = z.infer<typeof patchFileBody>;

export const fixBody = z.strictObject({ suppress: z.boolean(), roundingBase: z.number().int().min(2).max(1_000_000).nullable().optional() });

/** Optional: a POST with no body arrives as null. */
export const submitBody = z.strictObject({ overrideJustification: z.string().trim().min(1).max(10_000).optional() }).nullish();

export const voteBody = z.strictObject({
  decision: z.enum(decisions),
  comment: z.string().trim().max(10_000).optional(),
  overrideJustification: z.string().trim().max(10_000).optional(),
});

export const publishBody = z.strictObject({ fileIds: z.array(id).min(1).max(200) });

export const hubSettingsBody = sdcSettingsSchema;
export const datasetSettingsBody = sdcOverrideSchema;

// Views

const ruleOutcomeView = z.object({ rule: z.enum(ruleIds), verdict: z.enum(verdicts), skipped: z.string().optional() });
const findingView = z.object({
  rule: z.enum(ruleIds),
  verdict: z.enum(['review', 'fail']),
  row: z.number().nullable(),
  column: z.string().nullable(),
  values: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
  code: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});
export const reportView = z.object({ verdict: z.enum(verdicts), rules: z.array(ruleOutcomeView), findings: z.array(findingView), settings: sdcSettingsSchema });

export const previewView = z.object({ header: z.array(z.string()), rows: z.array(z.array(cell)), rowCount: z.number() });

export const outputFileView = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['table', 'chart']),
  context: z.string(),
  source: z.object({ kind: z.enum(['query', 'table', 'csv']), queryId: z.string().optional(), table: z.string().optional(), sql: z.string().optional() }),
  version: z.number(),
  versions: z.array(z.object({ version: z.number(), createdAt: z.string(), note: z.string(), verdict: z.enum(verdicts) })),
  columns: z.array(columnSpec),
  model: z.object({ observations: z.number(), parameters: z.number() }).optional(),
  preview: previewView,
  report: reportView,
  readable: z.string(),
  attachments: z.array(z.object({ id: z.string(), name: z.string(), mediaType: z.enum(mediaTypes), size: z.number() })),
  sha256: z.string().optional(),
  size: z.number().optional(),
  releasedVersion: z.number().optional(),
  published: z.boolean(),
});
export type OutputFileView = z.infer<typeof outputFileView>;

export const voteView = z.object({
  reviewer: z.object({ id: z.string(), name: z.string() }).nullable(),
  decision: z.enum(decisions).nullable(),
  comment: z.string().optional(),
  overrideJustification: z.string().optional(),
  at: z.string().optional(),
  hidden: z.boolean().optional(),
});
export type VoteView = z.infer<typeof voteView>;

export const outputRequestView = z.object({
  id: z.string(),
  projectId: z.string(),
  projectReference: z.string(),
  title: z.string(),
  status: z.enum(requestStatuses),
  createdAt: z.string(),
  createdBy: z.object({ id: z.string(), name: z.string() }),
  submittedAt: z.string().optional(),
  releasedAt: z.string().optional(),
  override: z.object({ requested: z.boolean(), justification: z.string().optional() }),
  verdict: z.enum(verdicts),
  files: z.array(outputFileView),
  votes: z.array(voteView),
  events: z.array(z.object({ at: z.string(), actor: z.string(), action: z.string(), from: z.string().optional(), to: z.string(), comment: z.string().optional() })),
  canEdit: z.boolean(),
  canSubmit: z.boolean(),
  canVote: z.boolean(),
  canDownload: z.boolean(),
  canPublish: z.boolean(),
  round: z.number(),
});
export type OutputRequestView = z.infer<typeof outputRequestView>;

export const versionView = z.object({ version: z.number(), createdAt: z.string(), note: z.string(), columns: z.array(columnSpec), preview: previewView, report: reportView, readable: z.string() });

export const queueItemView = z.object({
  projectId: z.string(),
  projectReference: z.string(),
  projectTitle: z.string(),
  requestId: z.string(),
  title: z.string(),
  status: z.enum(requestStatuses),
  submittedAt: z.string(),
  ageDays: z.number(),
  priority: z.enum(['high', 'normal']),
  verdict: z.enum(verdicts),
  myVote: z.enum(decisions).nullable(),
  votes: z.number(),
});

export const settingsView = z.object({ hub: sdcSettingsSchema, datasets: z.array(z.object({ dataset: z.string(), overrides: sdcOverrideSchema })) });

/** A released result on the public registry entry (PR-06, issue 8 §6): the projects domain's shape. */
export { registryOutputView, type RegistryOutput } from '../projects/schema.js';
