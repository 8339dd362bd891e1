/** Views of the output airlock: whitelisted fields only; other reviewers' votes hidden while the round is open. */
import type { Locale } from '../platform/errors.js';
import type { AttachmentRow, EventRow, FileRow, RequestRow, VersionRow, VoteRow } from './repo.js';
import type { OutputFileView, OutputRequestView, VoteView } from './schema.js';
import { readableReport } from './sdc/index.js';
import type { SdcTable } from './sdc/types.js';
import { votesVisible, worstVerdict } from './workflow.js';

/** Rows shown in a file's preview (the grid); the file itself keeps all of them. */
export const PREVIEW_ROWS = 2_000;

export type VersionContent = Pick<VersionRow, 'file_id' | 'version' | 'columns' | 'header' | 'row_count' | 'model' | 'report' | 'verdict'> & { rows?: VersionRow['rows'] };
export type VersionSummary = Pick<VersionRow, 'file_id' | 'version' | 'created_at' | 'note' | 'verdict'>;
export type AttachmentSummary = Pick<AttachmentRow, 'id' | 'file_id' | 'name' | 'media_type' | 'size'>;

export function tableOf(version: Pick<VersionRow, 'columns' | 'model'> & { rows?: VersionRow['rows'] }): SdcTable {
  return { columns: version.columns, rows: version.rows ?? [], ...(version.model ? { model: version.model } : {}) };
}

/** The grid, report and readable report of a version; without cells (lists, staff) the rows are empty and the readable report is not written. */
export function presentContent(version: VersionContent, locale: Locale) {
  const withCells = version.rows !== undefined;
  return {
    preview: { header: version.header, rows: withCells ? version.rows!.slice(0, PREVIEW_ROWS) : [], rowCount: version.row_count },
    report: version.report,
    readable: withCells ? readableReport(version.report, tableOf(version), locale) : '',
  };
}

export function presentFile(file: FileRow, version: VersionContent, history: VersionSummary[], attachments: AttachmentSummary[], locale: Locale): OutputFileView {
  const own = attachments.filter((a) => a.file_id === file.id);
  const source = file.source;
  return {
    id: file.id,
    name: file.name,
    kind: own.length > 0 ? 'chart' : 'table',
    context: file.context,
    source: source.kind === 'query' ? { kind: 'query', queryId: source.queryId, sql: source.sql } : source.kind === 'table' ? { kind: 'table', table: source.table } : { kind: 'csv' },
    version: file.current_version,
    versions: history.filter((h) => h.file_id === file.id).map((h) => ({ version: h.version, createdAt: h.created_at.toISOString(), note: h.note, verdict: h.verdict })),
    columns: version.columns,
    ...(version.model ? { model: version.model } : {}),
    ...presentContent(version, locale),
    attachments: own.map((a) => ({ id: a.id, name: a.name, mediaType: a.media_type, size: a.size })),
    ...(file.released_sha256 ? { sha256: file.released_sha256, size: file.released_size ?? 0, releasedVersion: file.released_version ?? file.current_version } : {}),
    published: file.published_at !== null,
  };
}

/** Blind review: until two votes are in, a reviewer sees their own vote only, everyone else placeholders. */
export function presentVotes(votes: VoteRow[], request: Pick<RequestRow, 'status'>, callerId: string): VoteView[] {
  const visible = votesVisible(request.status, votes.length);
  return votes.map((v) =>
    visible || v.reviewer_id === callerId
      ? {
          reviewer: { id: v.reviewer_id, name: v.reviewer_name },
          decision: v.decision,
          ...(v.comment ? { comment: v.comment } : {}),
          ...(v.override_justification ? { overrideJustification: v.override_justification } : {}),
          at: v.at.toISOString(),
        }
      : { reviewer: null, decision: null, hidden: true },
  );
}

export interface RequestParts {
  request: RequestRow;
  files: FileRow[];
  versions: Map<string, VersionContent>;
  history: VersionSummary[];
  attachments: AttachmentSummary[];
  votes: VoteRow[];
  events: EventRow[];
  flags: Pick<OutputRequestView, 'canEdit' | 'canSubmit' | 'canVote' | 'canDownload' | 'canPublish'>;
  callerId: string;
  locale: Locale;
}

export function presentRequest(p: RequestParts): OutputRequestView {
  const r = p.request;
  const files = p.files.filter((f) => p.versions.has(f.id));
  return {
    id: r.id,
    projectId: r.project_id,
    projectReference: r.project_reference,
    title: r.title,
    status: r.status,
    createdAt: r.created_at.toISOString(),
    createdBy: { id: r.created_by, name: r.created_by_name },
    ...(r.submitted_at ? { submittedAt: r.submitted_at.toISOString() } : {}),
    ...(r.released_at ? { releasedAt: r.released_at.toISOString() } : {}),
    override: { requested: r.override_justification !== null, ...(r.override_justification ? { justification: r.override_justification } : {}) },
    verdict: worstVerdict(files.map((f) => p.versions.get(f.id)!.verdict)),
    files: files.map((f) => presentFile(f, p.versions.get(f.id)!, p.history, p.attachments, p.locale)),
    votes: presentVotes(p.votes, r, p.callerId),
    events: p.events.map((e) => ({ at: e.at.toISOString(), actor: e.actor_label, action: e.action, ...(e.from_status ? { from: e.from_status } : {}), to: e.to_status, ...(e.comment ? { comment: e.comment } : {}) })),
    ...p.flags,
    round: r.round,
  };
}
