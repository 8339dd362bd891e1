/** Shapes of the catalogue and synthetic-data API answers (mirror src/catalog/schema.ts, src/synthetic/schema.ts). */

export type AccessRights = 'public' | 'restricted' | 'non_public';
export type HitKind = 'dataset' | 'table' | 'variable' | 'nomenclature' | 'code';
export const hitKinds: readonly HitKind[] = ['dataset', 'table', 'variable', 'nomenclature', 'code'];

export interface Segment {
  text: string;
  match: boolean;
}

export interface SearchHit {
  kind: HitKind;
  /** dataset slug, table name, TABLE.VARIABLE, nomenclature name, NOMENCLATURE:CODE */
  ref: string;
  title: string;
  subtitle: string;
  product: string | null;
  score: number;
  highlight: Segment[];
}

export interface Facet {
  value: string;
  label: string;
  count: number;
}

export interface SearchResult {
  query: string;
  total: number;
  tookMs: number;
  hits: SearchHit[];
  facets: { kind: Facet[]; producer: Facet[]; product: Facet[]; theme: Facet[]; access: Facet[] };
}

export interface Producer {
  slug: string;
  name: string;
  url: string | null;
  email: string | null;
  organisationId: string | null;
}

export interface DatasetSummary {
  slug: string;
  title: string;
  description: string;
  producer: Producer;
  themes: string[];
  keywords: string[];
  accessRights: AccessRights;
  tableCount: number;
}

export interface Dataset extends DatasetSummary {
  contactPoint: { name: string; email: string };
  temporalCoverage: { start: string | null; end: string | null };
  spatialCoverage: string | null;
  updateFrequency: string | null;
  legalBasis: string | null;
  numberOfRecords: number | null;
  numberOfUniqueIndividuals: number | null;
  populationCoverage: string | null;
  codingSystems: string[];
  qualityAnnotations: string | null;
  version: string | null;
  issued: string | null;
  modified: string | null;
  licence: string | null;
  landingPage: string | null;
  covers: { products: string[]; tables: string[] };
  revision: number;
  tables: { name: string; product: string; title: string; variableCount: number }[];
}

export type Sensitivity = string;

export interface Variable {
  name: string;
  position: number;
  label: string;
  type: string;
  length: string | null;
  format: string | null;
  nomenclature: string | null;
  nomenclatureColumn: string | null;
  dateCreated: string | null;
  dateDeleted: string | null;
  dateMissing: string[];
  managementRule: string;
  observation: string;
  sensitivity: Sensitivity | null;
  revision: number;
}

export interface Join {
  fromTable: string;
  fromFields: string[];
  toTable: string;
  toFields: string[];
  description: string;
  toTableKnown: boolean;
}

export interface Change {
  version: number;
  occurredAt: string;
  actor: string;
  entityType: string;
  entityKey: string;
  change: 'added' | 'changed' | 'removed';
}

export interface Table {
  name: string;
  product: string;
  title: string;
  description: string;
  scope: string;
  history: { dateCreated: string | null; dateDeleted: string | null; dateMissing: string[] };
  primaryKey: string[];
  namePattern: string | null;
  source: string;
  revision: number;
  updatedAt: string;
  datasets: { slug: string; title: string }[];
  variables: Variable[];
  joins: Join[];
  changes: Change[];
}

export interface VariableDetail {
  table: { name: string; product: string; title: string };
  variable: Variable;
  usedIn: { table: string; product: string; label: string; type: string; length: string | null; nomenclature: string | null }[];
  joins: Join[];
  changes: Change[];
}

export interface Nomenclature {
  name: string;
  title: string;
  folder: string;
  codeCount: number;
  hasData: boolean;
  description: string;
  columns: { name: string; type: string; role?: 'code' | 'label' }[];
  codeColumn: string;
  labelColumn: string | null;
  usedBy: { table: string; product: string; variable: string; label: string; column: string | null }[];
  codes: {
    total: number;
    limit: number;
    offset: number;
    items: { code: string; label: string | null; validFrom: string | null; validTo: string | null; values: string[] }[];
  };
}

export interface GraphNode {
  id: string;
  product: string;
  title: string;
  variableCount: number;
  known: boolean;
}
export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  sourceFields: string[];
  targetFields: string[];
  description: string;
}
export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export type SubjectType = 'dataset' | 'table' | 'variable';

export interface DocRevision {
  number: number;
  title: string;
  status: 'proposed' | 'published' | 'rejected' | 'superseded';
  baseNumber: number | null;
  author: string;
  createdAt: string;
  reviewer: string | null;
  reviewedAt: string | null;
  reviewNote: string | null;
  diff: string;
}

export interface DocPage {
  id: string;
  subjectType: SubjectType;
  subjectKey: string;
  slug: string;
  /** `html` is sanitised by the server (markdown-it + sanitize-html). */
  published: { number: number; title: string; markdown: string; html: string; author: string; publishedAt: string | null } | null;
  revisions: DocRevision[];
}

export interface DocProposal {
  pageId: string;
  number: number;
  title: string;
  author: string;
  createdAt: string;
  subjectType: string;
  subjectKey: string;
  slug: string;
  diff: string;
}

export interface ProgramSummary {
  slug: string;
  title: string;
  description: string;
  language: string;
  licence: string;
  tables: string[];
  author: string;
  currentVersion: number;
  updatedAt: string;
}
export interface Program extends ProgramSummary {
  code: string;
  versions: { version: number; note: string; author: string; createdAt: string; code: string }[];
}

export interface Release {
  name: string;
  version: number;
  synthetic: boolean;
  createdAt: string;
  generator: { name: string; parameters: Record<string, unknown> } | null;
  tables: { name: string; rows: number; product: string | null; schema: string | null; bytes: number }[];
}

export interface Sample {
  table: string;
  columns: string[];
  rows: Record<string, unknown>[];
}
