/** Shapes of the workspace API answers (mirrors /work/notes/workspace-contract.md and src/workspaces/schema.ts). */

export type WorkspaceStatus = 'not_provisioned' | 'extracting' | 'open' | 'closed';

export interface ExtractColumn {
  name: string;
  type: string;
  label?: string | null;
}

export interface ExtractTable {
  name: string;
  rows: number;
  columns: ExtractColumn[];
}

/** The project's extraction of its perimeter (extraction du périmètre). */
export interface Extract {
  version: number;
  createdAt: string;
  keyVersion: number;
  excludedByOpposition: number;
  /** False for a public-service mission: opted-out people are kept (PR-02). */
  oppositionApplied?: boolean;
  tables: ExtractTable[];
}

export interface WorkspaceLimits {
  displayRows: number;
  timeoutMs: number;
  memoryMb: number;
  maxSqlChars?: number;
}

export interface Workspace {
  projectId: string;
  status: WorkspaceStatus;
  extract: Extract | null;
  limits: WorkspaceLimits;
}

/** One entry of the perimeter's dictionary (dictionnaire des variables du périmètre). */
export interface DictionaryTable {
  table: string;
  label: string;
  source?: 'extract' | 'scratch';
  kind?: 'table' | 'view';
  columns: { name: string; type: string; label: string; nomenclature?: string | null }[];
}

export type QueryStatus = 'running' | 'done' | 'failed' | 'cancelled';

export interface ResultColumn {
  name: string;
  type: string;
}

export interface QueryView {
  id: string;
  status: QueryStatus;
  sql: string;
  startedAt: string;
  durationMs?: number | null;
  progress?: number | null;
  columns?: ResultColumn[];
  rows?: unknown[][];
  rowCount?: number | null;
  truncated?: boolean;
  /** A job's statements are in the history too. */
  source?: 'interactive' | 'job';
  error?: { code: string; message: string } | null;
}

export interface RowsPage {
  columns: ResultColumn[];
  rows: unknown[][];
  offset: number;
  rowCount: number;
}

/** A saved program of the project (programme partagé au sein du projet). */
export interface ProgramSummary {
  id: string;
  name: string;
  description: string;
  latestVersion: number;
  updatedAt: string;
  updatedBy: string;
  /** Set when copied from a shared program of the catalogue. */
  source?: { catalogueProgramId: string; version: number } | null;
}

export interface ProgramVersion {
  version: number;
  sql: string;
  createdAt: string;
  createdBy: string;
  comment?: string | null;
}

export interface Program extends ProgramSummary {
  versions: ProgramVersion[];
}

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** A program run as a job inside the hub (traitement). */
export interface JobView {
  id: string;
  status: JobStatus | string;
  programId: string;
  version: number;
  parameters?: Record<string, string | number>;
  createdAt: string;
  createdBy?: string;
  via?: 'web' | 'token';
  startedAt?: string | null;
  finishedAt?: string | null;
  log: string[];
  resultTables: string[];
}

/** A personal API token (jeton personnel), for jobs only; `token` comes once, at creation. */
export interface ApiToken {
  id: string;
  projectId: string;
  label: string;
  expiresAt: string;
  createdAt?: string;
  lastUsedAt?: string | null;
  revokedAt?: string | null;
  token?: string;
}

const enc = encodeURIComponent;

export const workspacePaths = {
  workspace: (projectId: string) => `/projets/${enc(projectId)}/espace`,
  program: (projectId: string, programId: string, version?: number) =>
    `/projets/${enc(projectId)}/espace/programmes/${enc(programId)}${version ? `?version=${version}` : ''}`,
  tokens: '/jetons',
};

/** The API of one project's workspace. */
export const workspaceApi = (projectId: string) => {
  const base = `/api/projects/${enc(projectId)}/workspace`;
  return {
    base,
    dictionary: `${base}/dictionary`,
    queries: `${base}/queries`,
    query: (qid: string) => `${base}/queries/${enc(qid)}`,
    rows: (qid: string, offset: number, limit: number) => `${base}/queries/${enc(qid)}/rows?offset=${offset}&limit=${limit}`,
    cancel: (qid: string) => `${base}/queries/${enc(qid)}/cancel`,
    history: `${base}/history`,
    programs: `${base}/programs`,
    program: (pid: string) => `${base}/programs/${enc(pid)}`,
    versions: (pid: string) => `${base}/programs/${enc(pid)}/versions`,
    importProgram: `${base}/programs/import`,
    jobs: `${base}/jobs`,
    job: (jid: string) => `${base}/jobs/${enc(jid)}`,
  };
};
