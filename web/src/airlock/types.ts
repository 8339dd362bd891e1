/**
 * Shapes of the output airlock's API answers (sas de sortie; /work/notes/airlock-contract.md,
 * src/airlock/schema.ts). The disclosure-check shapes are the server's own file, imported for
 * types only: the checks, the service and the pages read one definition (nothing of it is bundled).
 */
import type { Cell, ColumnRole, ColumnSpec, FileReport, Finding, RuleId, SdcSettings, Verdict } from '../../../src/airlock/sdc/types.ts';

export type { Cell, ColumnRole, ColumnSpec, FileReport, Finding, RuleId, SdcSettings, Verdict };

/** What a suppressed cell reads as in a released file (secret statistique); mirrors SUPPRESSED. */
export const SUPPRESSED = 's';

/** The roles a column may take, in the order the select lists them. */
export const columnRoles: readonly ColumnRole[] = ['dimension', 'count', 'magnitude', 'statistic', 'units', 'top1', 'top2', 'model', 'other'];

export const ruleIds: readonly RuleId[] = ['SDC-01', 'SDC-02', 'SDC-03', 'SDC-04', 'SDC-05', 'SDC-06', 'SDC-07', 'SDC-08', 'SDC-09'];

export type OutputStatus = 'draft' | 'submitted' | 'quarantined' | 'under_review' | 'changes_requested' | 'approved' | 'released' | 'rejected' | 'withdrawn';
export const outputStatuses: readonly OutputStatus[] = ['draft', 'submitted', 'quarantined', 'under_review', 'changes_requested', 'approved', 'released', 'rejected', 'withdrawn'];

export type Decision = 'approve' | 'changes_requested' | 'reject';
export const decisions: readonly Decision[] = ['approve', 'changes_requested', 'reject'];

export type FileSource = { kind: 'query'; queryId?: string; sql?: string } | { kind: 'table'; table?: string } | { kind: 'csv' };

export interface Preview {
  header: string[];
  rows: Cell[][];
  rowCount: number;
}

export interface Attachment {
  id: string;
  name: string;
  mediaType: 'image/svg+xml' | 'image/png';
  size: number;
}

export interface OutputFileView {
  id: string;
  name: string;
  kind: 'table' | 'chart';
  context: string;
  source: { kind: 'query' | 'table' | 'csv'; queryId?: string; table?: string; sql?: string };
  version: number;
  versions: { version: number; createdAt: string; note: string; verdict?: Verdict }[];
  columns: ColumnSpec[];
  model?: { observations: number; parameters: number } | null;
  /** In lists (`GET …/outputs`) and for hub staff, `rows` is empty and `readable` is '': the request's own view carries the cells. */
  preview?: Preview;
  report: FileReport;
  readable: string;
  /** The version that was released, once released. */
  releasedVersion?: number | null;
  attachments: Attachment[];
  sha256?: string | null;
  size?: number | null;
  published: boolean;
}

export interface VoteView {
  reviewer: { id: string; name: string } | null;
  decision: Decision | null;
  comment?: string | null;
  overrideJustification?: string | null;
  at?: string | null;
  hidden?: boolean;
}

/** One step of the history; `action` is create, file_added, file_changed, file_fixed, file_removed, submit, check_pass… */
export interface OutputEvent {
  at: string;
  actor: string;
  action: string;
  from?: OutputStatus | null;
  to?: OutputStatus | null;
  comment?: string | null;
}

export interface OutputRequestView {
  id: string;
  projectId: string;
  projectReference: string;
  title: string;
  status: OutputStatus;
  createdAt: string;
  createdBy: { id: string; name: string };
  submittedAt?: string | null;
  releasedAt?: string | null;
  override: { requested: boolean; justification?: string | null };
  /** Worst verdict over its files. */
  verdict?: Verdict;
  files: OutputFileView[];
  votes: VoteView[];
  events: OutputEvent[];
  canEdit: boolean;
  canSubmit: boolean;
  canVote: boolean;
  canDownload: boolean;
  canPublish: boolean;
  round: number;
}

/** An earlier version of a file (`GET …/files/:fid/versions/:v`). */
export interface FileVersionView {
  version?: number;
  createdAt?: string;
  note?: string;
  /** The roles as they were then (a version may differ by its roles only). */
  columns?: ColumnSpec[];
  preview: Preview;
  report: FileReport;
  readable: string;
}

export interface QueueItem {
  projectId: string;
  projectReference: string;
  projectTitle: string;
  requestId: string;
  title: string;
  status: OutputStatus;
  submittedAt: string | null;
  ageDays: number;
  priority: 'high' | 'normal';
  verdict: Verdict;
  myVote: Decision | null;
  votes: number;
}

export interface AirlockSettings {
  hub: SdcSettings;
  datasets: { dataset: string; overrides: Partial<SdcSettings> }[];
}

/** A security alert (LOG-08): rule unreleased_download, unauthorised_download, large_export, altered_file… */
export interface SecurityAlert {
  id: string;
  at: string;
  rule: string;
  severity: 'low' | 'medium' | 'high' | string;
  actor: string;
  projectId?: string | null;
  details: Record<string, unknown> | string | null;
  /** Whether the security officers were e-mailed. */
  emailed?: boolean;
}

/** A released file the project's lead attached to the public registry entry (its `outputs`). */
export interface PublishedResult {
  fileId: string;
  requestId: string;
  name: string;
  context: string;
  sha256: string;
  releasedAt: string;
  url: string;
}

/** A new file of a request (`POST …/files`). */
export interface NewOutputFile {
  name: string;
  context: string;
  source: { kind: 'query'; queryId: string } | { kind: 'table'; table: string } | { kind: 'csv'; content: string };
  columns?: ColumnSpec[];
  model?: { observations: number; parameters: number };
  attachments?: { name: string; mediaType: Attachment['mediaType']; contentBase64: string }[];
}

export interface FileEdit {
  name?: string;
  context?: string;
  columns?: ColumnSpec[];
  model?: { observations: number; parameters: number } | null;
}

const enc = encodeURIComponent;

/** Pages of the airlock. */
export const airlockPaths = {
  requests: (projectId: string) => `/projets/${enc(projectId)}/sorties`,
  request: (projectId: string, requestId: string) => `/projets/${enc(projectId)}/sorties/${enc(requestId)}`,
  queue: '/relecture',
  review: (projectId: string, requestId: string) => `/relecture/${enc(projectId)}/${enc(requestId)}`,
  settings: '/admin/sas',
  alerts: '/alertes',
};

/** The airlock's API. */
export const airlockApi = {
  requests: (projectId: string) => `/api/projects/${enc(projectId)}/outputs`,
  request: (projectId: string, requestId: string) => `/api/projects/${enc(projectId)}/outputs/${enc(requestId)}`,
  files: (projectId: string, requestId: string) => `/api/projects/${enc(projectId)}/outputs/${enc(requestId)}/files`,
  file: (projectId: string, requestId: string, fileId: string) => `/api/projects/${enc(projectId)}/outputs/${enc(requestId)}/files/${enc(fileId)}`,
  fix: (projectId: string, requestId: string, fileId: string) => `/api/projects/${enc(projectId)}/outputs/${enc(requestId)}/files/${enc(fileId)}/fix`,
  download: (projectId: string, requestId: string, fileId: string) => `/api/projects/${enc(projectId)}/outputs/${enc(requestId)}/files/${enc(fileId)}/download`,
  attachment: (projectId: string, requestId: string, fileId: string, attachmentId: string) =>
    `/api/projects/${enc(projectId)}/outputs/${enc(requestId)}/files/${enc(fileId)}/attachments/${enc(attachmentId)}`,
  attachmentView: (projectId: string, requestId: string, fileId: string, attachmentId: string) =>
    `/api/projects/${enc(projectId)}/outputs/${enc(requestId)}/files/${enc(fileId)}/attachments/${enc(attachmentId)}/view`,
  version: (projectId: string, requestId: string, fileId: string, version: number) =>
    `/api/projects/${enc(projectId)}/outputs/${enc(requestId)}/files/${enc(fileId)}/versions/${version}`,
  submit: (projectId: string, requestId: string) => `/api/projects/${enc(projectId)}/outputs/${enc(requestId)}/submit`,
  withdraw: (projectId: string, requestId: string) => `/api/projects/${enc(projectId)}/outputs/${enc(requestId)}/withdraw`,
  votes: (projectId: string, requestId: string) => `/api/projects/${enc(projectId)}/outputs/${enc(requestId)}/votes`,
  publish: (projectId: string, requestId: string) => `/api/projects/${enc(projectId)}/outputs/${enc(requestId)}/publish`,
  queue: '/api/airlock/queue',
  settings: '/api/airlock/settings',
  hubSettings: '/api/airlock/settings/hub',
  datasetSettings: (slug: string) => `/api/airlock/settings/datasets/${enc(slug)}`,
  alerts: '/api/alerts?limit=200',
  registryResult: (fileId: string) => `/api/registry/results/${enc(fileId)}`,
};

/** Query keys, so that a mutation refreshes every view of the same request. */
export const airlockKeys = {
  requests: (projectId: string) => ['airlock', 'requests', projectId] as const,
  request: (projectId: string, requestId: string) => ['airlock', 'request', projectId, requestId] as const,
  queue: ['airlock', 'queue'] as const,
  settings: ['airlock', 'settings'] as const,
  alerts: ['airlock', 'alerts'] as const,
};

/** A file's context (contexte) is required, with at least this many characters (the server's rule). */
export const MIN_CONTEXT = 20;

/** Statuses in which the author may still change the files. */
export const editableStatuses: readonly OutputStatus[] = ['draft', 'quarantined', 'changes_requested'];
