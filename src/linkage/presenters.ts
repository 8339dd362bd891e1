/** What runs and uploads show: whitelisted fields for the API, counts only for the audit trail. */
import { messageFor, type Locale } from '../platform/errors.js';
import type * as repo from './repo.js';
import type { LinkageReport, RunSummary, UploadView } from './schema.js';

/** The audit trail gets counts and names only (LOG-01): no trait, no NIR, no pseudonym. */
export function auditCounts(report: LinkageReport): Record<string, unknown> {
  if (report.kind === 'deterministic') {
    const side = (s: typeof report.left) => ({ release: `${s.release}/${s.version}`, table: s.table, column: s.column, rows: s.rows, persons: s.persons, matchedPersons: s.matchedPersons });
    return { kind: report.kind, left: side(report.left), right: side(report.right) };
  }
  return {
    kind: report.kind,
    reference: { file: report.reference.file, rows: report.reference.rows, persons: report.reference.persons, nirExcluded: report.reference.nirExcluded },
    source: { file: report.source.file, records: report.source.records },
    pairsScored: report.pairsScored,
    links: report.links,
    release: `${report.release.name}/${report.release.version}`,
    key: `${report.key.id}@${report.key.version}`,
  };
}

/**
 * An unexpected failure, kept without its message: an engine error may quote a value of the
 * files (a name, a NIR). Only its kind ("Out of Memory Error") is kept.
 */
export function engineFailure(err: unknown): { code: string; params: Record<string, unknown> } {
  const kind = err instanceof Error ? /^([A-Za-z ]{3,40} Error):/.exec(err.message)?.[1] : undefined;
  return { code: 'linkage.engine_failed', params: { kind: kind ?? 'internal' } };
}

export function presentSummary(row: Omit<repo.RunRow, 'report'>, locale: Locale): RunSummary {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    startedBy: row.started_by_label,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
    description: row.description,
    links: row.links,
    matchRate: row.match_rate,
    release: row.release_name && row.release_version ? { name: row.release_name, version: row.release_version } : null,
    error: row.error_code ? { code: row.error_code, message: messageFor(row.error_code, locale, row.error_params ?? {}) } : null,
  };
}

export function presentUpload(row: repo.UploadRow): UploadView {
  return { id: row.id, name: row.name, format: row.format, bytes: row.bytes, uploadedAt: row.uploaded_at.toISOString() };
}
