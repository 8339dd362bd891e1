/** zod schemas of the catalogue's inputs and outputs (types inferred from them). */
import { z } from 'zod';
import { sensitivities } from './sensitivity.js';

export const accessRightsValues = ['public', 'restricted', 'non_public'] as const;
export const frequencies = ['continuous', 'daily', 'weekly', 'monthly', 'quarterly', 'annual', 'irregular', 'never'] as const;

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{1,80}$/, 'lowercase letters, digits and dashes');
const day = z.iso.date();

export const producerInput = z.strictObject({
  slug,
  name: z.string().min(2).max(200),
  url: z.url().nullish(),
  email: z.email().nullish(),
});
export type ProducerInput = z.infer<typeof producerInput>;
/** Hub staff link a producer to the organisation whose data producers may then edit its datasets. */
export const producerPatch = z.strictObject({
  name: z.string().min(2).max(200).optional(),
  url: z.url().nullable().optional(),
  email: z.email().nullable().optional(),
  organisationId: z.uuid().nullable().optional(),
});
export type ProducerPatch = z.infer<typeof producerPatch>;

/** A dataset as written in datasets.json or sent by an editor (HealthDCAT-AP level). */
export const datasetInput = z.strictObject({
  slug,
  producer: slug,
  title: z.string().min(3).max(300),
  description: z.string().min(10).max(20_000),
  contactPoint: z.strictObject({ name: z.string().min(2).max(200), email: z.email() }),
  themes: z.array(z.string().min(2).max(100)).max(30).default([]),
  keywords: z.array(z.string().min(2).max(100)).max(50).default([]),
  temporalCoverage: z.strictObject({ start: day.nullish(), end: day.nullish() }).nullish(),
  spatialCoverage: z.string().max(300).nullish(),
  updateFrequency: z.enum(frequencies).nullish(),
  accessRights: z.enum(accessRightsValues),
  legalBasis: z.string().max(2000).nullish(),
  numberOfRecords: z.number().int().min(0).nullish(),
  numberOfUniqueIndividuals: z.number().int().min(0).nullish(),
  populationCoverage: z.string().max(2000).nullish(),
  codingSystems: z.array(z.string().min(1).max(100)).max(50).default([]),
  qualityAnnotations: z.string().max(5000).nullish(),
  version: z.string().max(50).nullish(),
  issued: day.nullish(),
  modified: day.nullish(),
  licence: z.string().max(300).nullish(),
  landingPage: z.url().nullish(),
  /** Which product folders and single tables of the dictionary it covers. */
  covers: z.strictObject({ products: z.array(z.string().min(1)).default([]), tables: z.array(z.string().min(1)).default([]) }).default({ products: [], tables: [] }),
});
export type DatasetInput = z.infer<typeof datasetInput>;
export const datasetPatch = datasetInput.omit({ slug: true }).partial();
export type DatasetPatch = z.infer<typeof datasetPatch>;

/** The demo catalogue file (data/demo-catalogue/datasets.json). */
export const datasetsFile = z.strictObject({
  $schema: z.string().optional(),
  producers: z.array(producerInput).min(1),
  datasets: z.array(datasetInput).min(1),
});
export type DatasetsFile = z.infer<typeof datasetsFile>;

export const tablePatch = z.strictObject({
  title: z.string().min(1).max(300).optional(),
  description: z.string().max(20_000).optional(),
  scope: z.string().max(2000).optional(),
});
export type TablePatch = z.infer<typeof tablePatch>;

export const variablePatch = z.strictObject({
  label: z.string().max(2000).optional(),
  managementRule: z.string().max(20_000).optional(),
  observation: z.string().max(20_000).optional(),
  sensitivity: z.enum(sensitivities).nullable().optional(),
  nomenclature: z.string().max(100).nullable().optional(),
  dateDeleted: z.string().max(20).nullable().optional(),
});
export type VariablePatch = z.infer<typeof variablePatch>;

// Views (presenters whitelist these fields)
export const producerView = z.object({ slug: z.string(), name: z.string(), url: z.string().nullable(), email: z.string().nullable(), organisationId: z.string().nullable() });
export const datasetSummaryView = z.object({
  slug: z.string(),
  title: z.string(),
  description: z.string(),
  producer: producerView,
  themes: z.array(z.string()),
  keywords: z.array(z.string()),
  accessRights: z.enum(accessRightsValues),
  tableCount: z.number(),
});
export const datasetView = datasetSummaryView.extend({
  contactPoint: z.object({ name: z.string(), email: z.string() }),
  temporalCoverage: z.object({ start: z.string().nullable(), end: z.string().nullable() }),
  spatialCoverage: z.string().nullable(),
  updateFrequency: z.string().nullable(),
  legalBasis: z.string().nullable(),
  numberOfRecords: z.number().nullable(),
  numberOfUniqueIndividuals: z.number().nullable(),
  populationCoverage: z.string().nullable(),
  codingSystems: z.array(z.string()),
  qualityAnnotations: z.string().nullable(),
  version: z.string().nullable(),
  issued: z.string().nullable(),
  modified: z.string().nullable(),
  licence: z.string().nullable(),
  landingPage: z.string().nullable(),
  covers: z.object({ products: z.array(z.string()), tables: z.array(z.string()) }),
  revision: z.number(),
  tables: z.array(z.object({ name: z.string(), product: z.string(), title: z.string(), variableCount: z.number() })),
});
export type DatasetView = z.infer<typeof datasetView>;
export type DatasetSummaryView = z.infer<typeof datasetSummaryView>;

export const variableView = z.object({
  name: z.string(),
  position: z.number(),
  label: z.string(),
  type: z.string(),
  length: z.string().nullable(),
  format: z.string().nullable(),
  nomenclature: z.string().nullable(),
  nomenclatureColumn: z.string().nullable(),
  dateCreated: z.string().nullable(),
  dateDeleted: z.string().nullable(),
  dateMissing: z.array(z.string()),
  managementRule: z.string(),
  observation: z.string(),
  sensitivity: z.enum(sensitivities).nullable(),
  constraints: z.record(z.string(), z.unknown()).nullable(),
  revision: z.number(),
});
export type VariableView = z.infer<typeof variableView>;

export const joinView = z.object({ fromTable: z.string(), fromFields: z.array(z.string()), toTable: z.string(), toFields: z.array(z.string()), description: z.string(), toTableKnown: z.boolean() });
export type JoinView = z.infer<typeof joinView>;

export const changeView = z.object({
  version: z.number(),
  occurredAt: z.string(),
  actor: z.string(),
  entityType: z.string(),
  entityKey: z.string(),
  change: z.enum(['added', 'changed', 'removed']),
  before: z.unknown(),
  after: z.unknown(),
});
export type ChangeView = z.infer<typeof changeView>;

export const tableSummaryView = z.object({ name: z.string(), product: z.string(), title: z.string(), namePattern: z.string().nullable(), variableCount: z.number() });
export const tableView = z.object({
  name: z.string(),
  product: z.string(),
  title: z.string(),
  description: z.string(),
  scope: z.string(),
  history: z.object({ dateCreated: z.string().nullable(), dateDeleted: z.string().nullable(), dateMissing: z.array(z.string()) }),
  primaryKey: z.array(z.string()),
  namePattern: z.string().nullable(),
  source: z.string(),
  revision: z.number(),
  updatedAt: z.string(),
  datasets: z.array(z.object({ slug: z.string(), title: z.string() })),
  variables: z.array(variableView),
  joins: z.array(joinView),
  changes: z.array(changeView),
});
export type TableView = z.infer<typeof tableView>;

export const variableDetailView = z.object({
  table: z.object({ name: z.string(), product: z.string(), title: z.string() }),
  variable: variableView,
  usedIn: z.array(z.object({ table: z.string(), product: z.string(), label: z.string(), type: z.string(), length: z.string().nullable(), nomenclature: z.string().nullable() })),
  joins: z.array(joinView),
  changes: z.array(changeView),
});
export type VariableDetailView = z.infer<typeof variableDetailView>;

export const nomenclatureSummaryView = z.object({ name: z.string(), title: z.string(), folder: z.string(), codeCount: z.number(), hasData: z.boolean() });
export const nomenclatureView = nomenclatureSummaryView.extend({
  description: z.string(),
  columns: z.array(z.object({ name: z.string(), type: z.string(), role: z.enum(['code', 'label']).optional() })),
  codeColumn: z.string(),
  labelColumn: z.string().nullable(),
  primaryKey: z.array(z.string()),
  usedBy: z.array(z.object({ table: z.string(), product: z.string(), variable: z.string(), label: z.string(), column: z.string().nullable() })),
  codes: z.object({
    total: z.number(),
    limit: z.number(),
    offset: z.number(),
    items: z.array(z.object({ code: z.string(), label: z.string().nullable(), validFrom: z.string().nullable(), validTo: z.string().nullable(), values: z.array(z.string()) })),
  }),
});
export type NomenclatureView = z.infer<typeof nomenclatureView>;

export const graphView = z.object({
  nodes: z.array(z.object({ id: z.string(), product: z.string(), title: z.string(), variableCount: z.number(), known: z.boolean() })),
  edges: z.array(z.object({ id: z.string(), source: z.string(), target: z.string(), sourceFields: z.array(z.string()), targetFields: z.array(z.string()), description: z.string() })),
});
export type GraphView = z.infer<typeof graphView>;

const countsView = z.object({ added: z.number(), changed: z.number(), removed: z.number(), unchanged: z.number() });
export const importResultView = z.object({
  version: z.number().nullable(),
  source: z.string(),
  durationMs: z.number(),
  diff: z.object({ tables: countsView, variables: countsView, joins: countsView, nomenclatures: countsView, codes: z.number() }),
  datasets: countsView,
});
export type ImportResult = z.infer<typeof importResultView>;

export const versionView = z.object({ number: z.number(), createdAt: z.string(), actor: z.string(), source: z.string(), summary: z.record(z.string(), z.unknown()) });
export type VersionView = z.infer<typeof versionView>;

export const searchQuery = z.strictObject({
  q: z.string().min(1).max(200),
  kind: z.enum(['dataset', 'table', 'variable', 'nomenclature', 'code']).optional(),
  producer: z.string().max(100).optional(),
  product: z.string().max(100).optional(),
  theme: z.string().max(100).optional(),
  access: z.enum(accessRightsValues).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type SearchQuery = z.infer<typeof searchQuery>;

const segment = z.object({ text: z.string(), match: z.boolean() });
export const searchHitView = z.object({
  kind: z.enum(['dataset', 'table', 'variable', 'nomenclature', 'code']),
  /** Stable reference for the page to open: dataset slug, table name, TABLE.VARIABLE, nomenclature name, NOMENCLATURE:CODE. */
  ref: z.string(),
  title: z.string(),
  subtitle: z.string(),
  product: z.string().nullable(),
  score: z.number(),
  /** The matched text cut into segments; `match` marks the words that matched (render as <mark>). */
  highlight: z.array(segment),
});
export type SearchHit = z.infer<typeof searchHitView>;
const facet = z.array(z.object({ value: z.string(), label: z.string(), count: z.number() }));
export const searchResultView = z.object({
  query: z.string(),
  total: z.number(),
  tookMs: z.number(),
  hits: z.array(searchHitView),
  facets: z.object({ kind: facet, producer: facet, product: facet, theme: facet, access: facet }),
});
export type SearchResult = z.infer<typeof searchResultView>;

// Documentation pages and shared programs
export const subjectTypes = ['dataset', 'table', 'variable'] as const;
const docSlug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,60}$/, 'lowercase letters, digits and dashes');
export const docProposal = z.strictObject({
  subjectType: z.enum(subjectTypes),
  /** Dataset slug, table name, or TABLE.VARIABLE. */
  subjectKey: z.string().min(1).max(200),
  slug: docSlug.default('documentation'),
  title: z.string().min(2).max(200),
  body: z.string().min(1).max(200_000),
  /** The published revision this text starts from (null for a new page): a stale base is refused. */
  baseNumber: z.number().int().min(1).nullable().default(null),
  /** Approvers (hub staff, the producer) may publish at once. */
  publish: z.boolean().default(false),
});
export type DocProposal = z.infer<typeof docProposal>;
export const docReview = z.strictObject({ note: z.string().max(2000).default('') });

export const docRevisionView = z.object({
  number: z.number(),
  title: z.string(),
  status: z.enum(['proposed', 'published', 'rejected', 'superseded']),
  baseNumber: z.number().nullable(),
  author: z.string(),
  createdAt: z.string(),
  reviewer: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewNote: z.string().nullable(),
  /** Unified diff against the revision it started from. */
  diff: z.string(),
});
export const docPageView = z.object({
  id: z.string(),
  subjectType: z.enum(subjectTypes),
  subjectKey: z.string(),
  slug: z.string(),
  published: z.object({ number: z.number(), title: z.string(), markdown: z.string(), html: z.string(), author: z.string(), publishedAt: z.string().nullable() }).nullable(),
  revisions: z.array(docRevisionView),
});
export type DocPageView = z.infer<typeof docPageView>;
export const docProposalView = z.object({ pageId: z.string(), number: z.number(), title: z.string(), author: z.string(), createdAt: z.string(), subjectType: z.string(), subjectKey: z.string(), slug: z.string(), diff: z.string() });

export const programInput = z.strictObject({
  slug: z.string().regex(/^[a-z0-9][a-z0-9-]{1,80}$/, 'lowercase letters, digits and dashes'),
  title: z.string().min(3).max(200),
  description: z.string().min(10).max(20_000),
  language: z.literal('sql').default('sql'),
  licence: z.string().min(2).max(100).default('MPL-2.0'),
  tables: z.array(z.string().min(1).max(100)).min(1).max(50),
  code: z.string().min(1).max(500_000),
});
export type ProgramInput = z.infer<typeof programInput>;
export const programVersionInput = z.strictObject({ code: z.string().min(1).max(500_000), note: z.string().min(2).max(2000), description: z.string().min(10).max(20_000).optional() });
export type ProgramVersionInput = z.infer<typeof programVersionInput>;
export const programSummaryView = z.object({ slug: z.string(), title: z.string(), description: z.string(), language: z.string(), licence: z.string(), tables: z.array(z.string()), author: z.string(), currentVersion: z.number(), updatedAt: z.string() });
export const programView = programSummaryView.extend({
  code: z.string(),
  versions: z.array(z.object({ version: z.number(), note: z.string(), author: z.string(), createdAt: z.string(), code: z.string() })),
});
export type ProgramView = z.infer<typeof programView>;
