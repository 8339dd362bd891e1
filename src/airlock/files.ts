/**
 * A request's files — fichiers d'une demande de sortie: captured from the workspace, checked at
 * once, changed only by new versions (an edit of roles or context, a proposed fix), each version
 * kept as it was checked. Every change is audited in its transaction and moves a quarantined
 * request back to draft.
 */
import crypto from 'node:crypto';
import type { AnyActor } from '../platform/actor.js';
import type { Executor } from '../platform/db/database.js';
import { HdhError, registerMessages, type Locale } from '../platform/errors.js';
import { capture, resolveColumns } from './capture.js';
import type { AirlockCore, Caller } from './core.js';
import { assertMember } from './policy.js';
import { presentContent, presentFile, tableOf } from './presenters.js';
import * as repo from './repo.js';
import type { FileRow, RequestRow, VersionRow } from './repo.js';
import type { AddFileInput, OutputFileView, PatchFileInput } from './schema.js';
import { proposeFix } from './sdc/index.js';
import type { FileReport, SdcTable } from './sdc/types.js';
import { sha256 } from './storage.js';
import { transition } from './workflow.js';

registerMessages({
  'airlock.attachment_invalid': { fr: 'Pièce jointe {name} invalide : {reason}.', en: 'Invalid attachment {name}: {reason}.' },
  'airlock.fix_no_change': { fr: 'Le correctif proposé ne change aucune cellule de ce fichier.', en: 'The proposed fix changes no cell of this file.' },
});

/** Largest chart image attached to a file. */
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export class AirlockFiles {
  constructor(private readonly core: AirlockCore) {}

  private get db() {
    return this.core.deps.db;
  }

  async add(actor: AnyActor, projectId: string, requestId: string, input: AddFileInput, locale: Locale): Promise<OutputFileView> {
    const caller = await this.core.caller(actor, projectId, 'member');
    this.core.assertEditable(await this.core.request(this.db, caller, requestId));
    const attachments = (input.attachments ?? []).map(decodeAttachment);
    const captured = await capture(this.core.deps.workspaces, caller.actor, projectId, input);
    const columns = resolveColumns(captured.header, captured.types, captured.rows, input.columns);
    const table: SdcTable = { columns, rows: captured.rows, ...(input.model ? { model: input.model } : {}) };
    const { check } = await this.core.checker(projectId, requestId);
    const report = check(table);
    const fileId = crypto.randomUUID();
    await this.db.transaction().execute(async (tx) => {
      const request = await this.core.request(tx, caller, requestId, true);
      this.core.assertEditable(request);
      const now = this.core.now();
      await repo.insertFile(tx, { id: fileId, request_id: requestId, project_id: projectId, name: input.name, context: input.context, source: captured.source, current_version: 1, created_at: now, created_by: caller.actor.userId, removed_at: null, released_version: null, released_path: null, released_sha256: null, released_size: null, released_rows: null, released_at: null, published_at: null, published_by: null });
      const content = await this.core.insertVersion(tx, caller.actor, fileId, 1, `captured (${captured.source.kind})`, captured.header, table, report);
      for (const a of attachments) await repo.insertAttachment(tx, { id: crypto.randomUUID(), file_id: fileId, name: a.name, media_type: a.mediaType, size: a.content.length, sha256: sha256(a.content), content: a.content, created_at: now });
      await this.edited(tx, caller, request, 'file_added', input.name);
      const source = captured.source;
      await this.core.deps.audit.record(tx, {
        actor, action: 'airlock.file.add', target: { type: 'airlock_file', id: fileId }, projectId,
        details: { requestId, name: input.name, source: source.kind, ...(source.kind === 'query' ? { queryId: source.queryId, sqlSha256: sha256(source.sql) } : {}), ...(source.kind === 'table' ? { table: source.table } : {}), rows: table.rows.length, columns: columns.length, verdict: report.verdict, attachments: attachments.length, contentSha256: content },
      });
    });
    return this.fileView(caller, requestId, fileId, locale);
  }

  /** Name, context, roles or model: a new version, checked again. */
  async update(actor: AnyActor, projectId: string, requestId: string, fileId: string, input: PatchFileInput, locale: Locale): Promise<OutputFileView> {
    const caller = await this.core.caller(actor, projectId, 'member');
    const { file, version } = await this.current(caller, requestId, fileId);
    const columns = input.columns ? resolveColumns(version.header, [], version.rows, input.columns) : version.columns;
    const model = input.model === undefined ? version.model : input.model;
    const table: SdcTable = { columns, rows: version.rows, ...(model ? { model } : {}) };
    const { check } = await this.core.checker(projectId, requestId);
    const changed = Object.keys(input).filter((k) => input[k as keyof PatchFileInput] !== undefined);
    await this.newVersion(caller, file, version, table, check(table), `edited: ${changed.join(', ') || 'nothing'}`, 'file_changed', { ...(input.name ? { name: input.name } : {}), ...(input.context ? { context: input.context } : {}) }, { fields: changed });
    return this.fileView(caller, requestId, fileId, locale);
  }

  /** The proposed fix (primary and secondary suppression, rounding) applied to a new version, checked again. */
  async fix(actor: AnyActor, projectId: string, requestId: string, fileId: string, options: { suppress: boolean; roundingBase?: number | null | undefined }, locale: Locale): Promise<OutputFileView> {
    const caller = await this.core.caller(actor, projectId, 'member');
    const { file, version } = await this.current(caller, requestId, fileId);
    const { settings, check } = await this.core.checker(projectId, requestId);
    const fixed = proposeFix(tableOf(version), settings, { suppress: options.suppress, roundingBase: options.roundingBase ?? null });
    if (fixed.suppressed.length === 0 && !fixed.rounded) throw new HdhError('airlock.fix_no_change', 409);
    const primary = fixed.suppressed.filter((s) => s.primary).length;
    const parts = [...(fixed.suppressed.length ? [`suppression of ${fixed.suppressed.length} cells (${primary} primary, ${fixed.suppressed.length - primary} secondary)`] : []), ...(fixed.rounded ? [`rounding to base ${options.roundingBase ?? settings.roundingBase}`] : [])];
    await this.newVersion(caller, file, version, fixed.table, check(fixed.table), parts.join('; '), 'file_fixed', {}, { suppressed: fixed.suppressed.length, primary, rounded: fixed.rounded, roundingBase: options.roundingBase ?? null });
    return this.fileView(caller, requestId, fileId, locale);
  }

  /** Takes a file out of its request (its versions stay stored and audited). */
  async remove(actor: AnyActor, projectId: string, requestId: string, fileId: string): Promise<void> {
    const caller = await this.core.caller(actor, projectId, 'member');
    await this.db.transaction().execute(async (tx) => {
      const request = await this.core.request(tx, caller, requestId, true);
      this.core.assertEditable(request);
      const file = await repo.findFile(tx, requestId, fileId);
      if (!file) throw new HdhError('airlock.file_not_found', 404);
      await repo.updateFile(tx, fileId, { removed_at: this.core.now() });
      await this.edited(tx, caller, request, 'file_removed', file.name);
      await this.core.deps.audit.record(tx, { actor, action: 'airlock.file.remove', target: { type: 'airlock_file', id: fileId }, projectId, details: { requestId, name: file.name, version: file.current_version } });
    });
  }

  /** An earlier version's grid and report (members and reviewers); the read is audited. */
  async version(actor: AnyActor, projectId: string, requestId: string, fileId: string, version: number, locale: Locale) {
    const caller = await this.core.caller(actor, projectId, 'read');
    if (caller.standing === 'staff') throw new HdhError('auth.forbidden', 403);
    return this.db.transaction().execute(async (tx) => {
      await this.core.request(tx, caller, requestId);
      const file = await repo.findFile(tx, requestId, fileId);
      const row = file ? await repo.findVersion(tx, fileId, version) : undefined;
      if (!row) throw new HdhError(file ? 'airlock.version_not_found' : 'airlock.file_not_found', 404, { version });
      await this.core.deps.audit.record(tx, { actor, action: 'airlock.version.read', target: { type: 'airlock_file', id: fileId }, projectId, details: { requestId, version } });
      return { version: row.version, createdAt: row.created_at.toISOString(), note: row.note, columns: row.columns, ...presentContent(row, locale) };
    });
  }

  /** The file's current version with its cells, read before a change (the change checks it is still current). */
  private async current(caller: Caller, requestId: string, fileId: string): Promise<{ file: FileRow; version: VersionRow }> {
    assertMember(caller.standing);
    this.core.assertEditable(await this.core.request(this.db, caller, requestId));
    const file = await repo.findFile(this.db, requestId, fileId);
    if (!file) throw new HdhError('airlock.file_not_found', 404);
    const version = await repo.findVersion(this.db, fileId, file.current_version);
    if (!version) throw new HdhError('airlock.file_not_found', 404);
    return { file, version };
  }

  private async newVersion(caller: Caller, file: FileRow, base: VersionRow, table: SdcTable, report: FileReport, note: string, action: string, patch: Partial<Pick<FileRow, 'name' | 'context'>>, details: Record<string, unknown>): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const request = await this.core.request(tx, caller, file.request_id, true);
      this.core.assertEditable(request);
      const now = await repo.findFile(tx, file.request_id, file.id);
      if (!now || now.current_version !== base.version) throw new HdhError('airlock.changed_meanwhile', 409);
      const version = base.version + 1;
      const content = await this.core.insertVersion(tx, caller.actor, file.id, version, note, base.header, table, report);
      await repo.updateFile(tx, file.id, { ...patch, current_version: version });
      await this.edited(tx, caller, request, action, patch.name ?? file.name);
      await this.core.deps.audit.record(tx, { actor: caller.actor, action: `airlock.${action.replace('_', '.')}`, target: { type: 'airlock_file', id: file.id }, projectId: file.project_id, details: { requestId: file.request_id, version, verdict: report.verdict, contentSha256: content, ...details } });
    });
  }

  /** A file changed: a quarantined request goes back to draft (workflow.ts); the history says what. */
  private async edited(tx: Executor, caller: Caller, request: RequestRow, action: string, fileName: string): Promise<void> {
    const to = transition(request.status, 'edit');
    await repo.updateRequest(tx, request.id, { status: to, updated_at: this.core.now() });
    await this.core.event(tx, request, caller.actor, action, to, { comment: fileName });
  }

  async fileView(caller: Caller, requestId: string, fileId: string, locale: Locale): Promise<OutputFileView> {
    const file = await repo.findFile(this.db, requestId, fileId);
    if (!file) throw new HdhError('airlock.file_not_found', 404);
    const version = (await repo.currentVersions(this.db, [file])).get(file.id)!;
    const [history, attachments] = [await repo.versionSummaries(this.db, [file.id]), await repo.attachmentsOf(this.db, [file.id])];
    return presentFile(file, version, history, attachments, locale);
  }
}

/** A chart image: PNG by its signature, SVG by its root element; at most MAX_ATTACHMENT_BYTES. */
function decodeAttachment(a: { name: string; mediaType: 'image/svg+xml' | 'image/png'; contentBase64: string }, i: number): { name: string; mediaType: 'image/svg+xml' | 'image/png'; content: Buffer } {
  const problem = (reason: string) => new HdhError('airlock.attachment_invalid', 400, { name: a.name, reason }, [{ location: `body.attachments[${i}].contentBase64`, message: reason }]);
  // A data URL (ECharts' getDataURL) is accepted as is.
  const base64 = a.contentBase64.replace(/^data:[^,]*;base64,/, '');
  if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(base64)) throw problem('not base64');
  const content = Buffer.from(base64, 'base64');
  if (content.length === 0) throw problem('empty');
  if (content.length > MAX_ATTACHMENT_BYTES) throw problem(`larger than ${MAX_ATTACHMENT_BYTES} bytes`);
  if (a.mediaType === 'image/png' && !content.subarray(0, 8).equals(PNG_SIGNATURE)) throw problem('not a PNG image');
  if (a.mediaType === 'image/svg+xml' && !/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE[^>]*>\s*)?<svg[\s>]/i.test(content.toString('utf8', 0, Math.min(content.length, 4096)))) throw problem('not an SVG image');
  return { name: a.name, mediaType: a.mediaType, content };
}
