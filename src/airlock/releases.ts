/**
 * Released files — fichiers libérés: written once and hashed when two reviewers approve, served
 * only to the project's members (each download audited), only if still identical to what was
 * approved; published by the lead to the public registry. Asking for anything else raises a
 * LOG-08 alert for the security officers.
 */
import type { AlertRule } from '../alerts/service.js';
import type { Actor, AnyActor } from '../platform/actor.js';
import type { Executor } from '../platform/db/database.js';
import { HdhError, registerMessages } from '../platform/errors.js';
import type { AirlockCore, Caller } from './core.js';
import { assertLead } from './policy.js';
import { tableOf } from './presenters.js';
import * as repo from './repo.js';
import type { FileRow, RequestRow } from './repo.js';
import type { RegistryOutput } from './schema.js';
import { toReleasedCsv } from './sdc/index.js';
import { AlteredFileError, ReleaseStorage } from './storage.js';

registerMessages({
  'airlock.not_released': { fr: 'Ce fichier n’est pas libéré : seuls les fichiers libérés peuvent sortir. La tentative est signalée à la sécurité.', en: 'This file is not released: only released files may leave. The attempt is reported to security.' },
  'airlock.file_altered': { fr: 'Le fichier libéré a été modifié depuis sa libération : il n’est pas servi. La sécurité est prévenue.', en: 'The released file was changed after its release: it is not served. Security has been told.' },
  'airlock.result_not_found': { fr: 'Résultat introuvable.', en: 'Result not found.' },
  'airlock.attachment_not_found': { fr: 'Pièce jointe introuvable.', en: 'Attachment not found.' },
});

export interface Delivered {
  fileName: string;
  mediaType: string;
  content: Buffer;
  sha256: string;
}

const extensionOf = (mediaType: string) => (mediaType === 'image/png' ? 'png' : 'svg');

/** A file name for Content-Disposition: letters, digits, dot, dash, underscore. */
export function safeFileName(name: string, extension: string): string {
  const base = name.normalize('NFD').replace(/\p{Diacritic}/gu, '').replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+|[._]+$/g, '').slice(0, 100) || 'resultat';
  return base.toLowerCase().endsWith(`.${extension}`) ? base : `${base}.${extension}`;
}

export class AirlockReleases {
  constructor(private readonly core: AirlockCore) {}

  private get db() {
    return this.core.deps.db;
  }

  /**
   * Inside the approving vote's transaction: each file's current version becomes the released CSV
   * (auxiliary columns dropped, suppressed cells marked), written once, read-only, hashed; its
   * charts too. A release above the size thresholds raises a `large_export` alert (LOG-08).
   */
  async release(tx: Executor, actor: Actor, request: RequestRow): Promise<number> {
    const now = this.core.now();
    const files = await repo.filesOf(tx, [request.id]);
    const versions = await repo.currentVersions(tx, files);
    const { rows: maxRows, bytes: maxBytes } = this.core.deps.largeExport;
    let alerts = 0;
    for (const file of files) {
      const version = versions.get(file.id)!;
      const relative = ReleaseStorage.pathOf(request.project_id, request.id, `${file.id}-v${version.version}.csv`);
      const { sha256, size } = this.core.storage.write(relative, Buffer.from(toReleasedCsv(tableOf(version)), 'utf8'));
      await repo.updateFile(tx, file.id, { released_version: version.version, released_path: relative, released_sha256: sha256, released_size: size, released_rows: version.row_count, released_at: now });
      for (const a of await repo.attachmentsOf(tx, [file.id])) {
        const stored = (await repo.findAttachment(tx, file.id, a.id))!;
        this.core.storage.write(ReleaseStorage.pathOf(request.project_id, request.id, `${file.id}-${a.id}.${extensionOf(a.media_type)}`), stored.content);
      }
      await this.core.deps.audit.record(tx, { actor, action: 'airlock.release', target: { type: 'airlock_file', id: file.id }, projectId: request.project_id, details: { requestId: request.id, name: file.name, version: version.version, sha256, bytes: size, rows: version.row_count } });
      if (version.row_count > maxRows || size > maxBytes) {
        await this.core.deps.alerts.raise(tx, { rule: 'large_export', severity: 'medium', actor, projectId: request.project_id, details: { requestId: request.id, requestedBy: request.created_by_name, fileId: file.id, name: file.name, rows: version.row_count, bytes: size, thresholds: { rows: maxRows, bytes: maxBytes } } });
        alerts++;
      }
    }
    return alerts;
  }

  /** The released CSV, for a member of the project; anything else is refused, audited and alerted. */
  async download(actor: AnyActor, projectId: string, requestId: string, fileId: string): Promise<Delivered> {
    const { caller, file } = await this.downloadable(actor, projectId, requestId, fileId, null);
    const content = await this.read(caller.actor, file, file.released_path!, file.released_sha256!, { requestId });
    await this.db.transaction().execute((tx) => this.core.deps.audit.record(tx, { actor, action: 'airlock.download', target: { type: 'airlock_file', id: fileId }, projectId, details: { requestId, name: file.name, version: file.released_version, sha256: file.released_sha256, bytes: content.length } }));
    return { fileName: safeFileName(file.name, 'csv'), mediaType: 'text/csv; charset=utf-8', content, sha256: file.released_sha256! };
  }

  /** A released file's chart, under the same rules. */
  async attachment(actor: AnyActor, projectId: string, requestId: string, fileId: string, attachmentId: string): Promise<Delivered> {
    const { caller, file } = await this.downloadable(actor, projectId, requestId, fileId, attachmentId);
    const a = await repo.findAttachment(this.db, fileId, attachmentId);
    if (!a) throw new HdhError('airlock.attachment_not_found', 404);
    const relative = ReleaseStorage.pathOf(projectId, requestId, `${fileId}-${a.id}.${extensionOf(a.media_type)}`);
    const content = await this.read(caller.actor, file, relative, a.sha256, { requestId, attachmentId });
    await this.db.transaction().execute((tx) => this.core.deps.audit.record(tx, { actor, action: 'airlock.download', target: { type: 'airlock_attachment', id: a.id }, projectId, details: { requestId, fileId, name: a.name, sha256: a.sha256, bytes: content.length } }));
    return { fileName: safeFileName(a.name, extensionOf(a.media_type)), mediaType: a.media_type, content, sha256: a.sha256 };
  }

  /**
   * A chart shown beside its table while the request is examined — not a download: the author's
   * team and the reviewers see what they approve (EXP-08), hub staff see no content. Audited as a
   * view; the bytes come from the request's own record, never from the release folder.
   */
  async viewAttachment(actor: AnyActor, projectId: string, requestId: string, fileId: string, attachmentId: string): Promise<Delivered> {
    const caller = await this.core.caller(actor, projectId, 'read');
    if (caller.standing === 'staff') throw new HdhError('airlock.members_only', 403);
    await this.core.request(this.db, caller, requestId);
    const file = await repo.findFile(this.db, requestId, fileId);
    if (!file) throw new HdhError('airlock.file_not_found', 404);
    const a = await repo.findAttachment(this.db, fileId, attachmentId);
    if (!a) throw new HdhError('airlock.attachment_not_found', 404);
    await this.db.transaction().execute((tx) => this.core.deps.audit.record(tx, { actor, action: 'airlock.attachment_view', target: { type: 'airlock_attachment', id: a.id }, projectId, details: { requestId, fileId, name: a.name, sha256: a.sha256, standing: caller.standing } }));
    return { fileName: safeFileName(a.name, extensionOf(a.media_type)), mediaType: a.media_type, content: a.content, sha256: a.sha256 };
  }

  /**
   * Members only, released files only. A non-member's attempt (reviewer, staff, anyone else with an
   * account) and a member's attempt on an unreleased file are refused, audited and alerted (LOG-08).
   */
  private async downloadable(actor: AnyActor, projectId: string, requestId: string, fileId: string, attachmentId: string | null): Promise<{ caller: Caller; request: RequestRow; file: FileRow }> {
    const target = { requestId, fileId, ...(attachmentId ? { attachmentId } : {}) };
    let caller: Caller;
    try {
      caller = await this.core.caller(actor, projectId, 'read');
    } catch (err) {
      if (err instanceof HdhError && err.code === 'project.not_found' && actor.kind === 'user' && (await this.core.deps.projects.accessFacts(projectId))) await this.refuse(actor, projectId, 'unauthorised_download', { ...target, reason: 'not a member of the project' });
      throw err;
    }
    if (caller.standing !== 'member') {
      await this.refuse(actor, projectId, 'unauthorised_download', { ...target, reason: `${caller.standing}, not a member of the project` });
      throw new HdhError('airlock.members_only', 403);
    }
    const request = await this.core.request(this.db, caller, requestId);
    const file = await repo.findFile(this.db, requestId, fileId);
    if (!file) throw new HdhError('airlock.file_not_found', 404);
    if (!file.released_at || !file.released_path || !file.released_sha256 || request.status !== 'released') {
      await this.refuse(actor, projectId, 'unreleased_download', { ...target, status: request.status });
      throw new HdhError('airlock.not_released', 403);
    }
    return { caller, request, file };
  }

  private async refuse(actor: AnyActor, projectId: string, rule: AlertRule, details: Record<string, unknown>): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await this.core.deps.audit.record(tx, { actor, action: 'airlock.download', target: { type: 'airlock_file', id: String(details.fileId) }, projectId, outcome: 'denied', details: { rule, ...details } });
      await this.core.deps.alerts.raise(tx, { rule, severity: rule === 'unauthorised_download' ? 'high' : 'medium', actor, projectId, details });
    });
    this.core.deps.alerts.notifySoon();
  }

  /** The stored bytes, if identical to what was released; otherwise refused, audited and alerted. */
  private async read(actor: AnyActor | null, file: FileRow, relative: string, expected: string, details: Record<string, unknown>, ip?: string): Promise<Buffer> {
    try {
      return this.core.storage.read(relative, expected);
    } catch (err) {
      if (!(err instanceof AlteredFileError)) throw err;
      await this.db.transaction().execute(async (tx) => {
        await this.core.deps.audit.record(tx, { actor, ...(ip ? { ip } : {}), action: 'airlock.download', target: { type: 'airlock_file', id: file.id }, projectId: file.project_id, outcome: 'failure', details: { ...details, reason: 'altered', expected, found: err.found } });
        await this.core.deps.alerts.raise(tx, { rule: 'altered_file', severity: 'high', actor, projectId: file.project_id, details: { ...details, fileId: file.id, path: relative, expected, found: err.found } });
      });
      this.core.deps.alerts.notifySoon();
      throw new HdhError('airlock.file_altered', 409);
    }
  }

  /** The lead attaches released files to the project's public registry entry. */
  async publish(actor: AnyActor, projectId: string, requestId: string, fileIds: string[]): Promise<Caller> {
    const caller = await this.core.caller(actor, projectId, 'read');
    assertLead(actor, caller.project);
    await this.db.transaction().execute(async (tx) => {
      const request = await this.core.request(tx, caller, requestId, true);
      if (request.status !== 'released') throw new HdhError('airlock.transition_refused', 409, { action: 'publish', status: request.status });
      const now = this.core.now();
      for (const [i, id] of fileIds.entries()) {
        const file = await repo.findFile(tx, requestId, id);
        if (!file || !file.released_at) throw new HdhError('airlock.file_not_found', 404, {}, [{ location: `body.fileIds[${i}]`, message: 'no released file with this id in the request' }]);
        if (!file.published_at) await repo.updateFile(tx, id, { published_at: now, published_by: caller.actor.userId });
      }
      await this.core.event(tx, request, caller.actor, 'publish', request.status, { comment: `${fileIds.length} file(s)` });
      await this.core.deps.audit.record(tx, { actor, action: 'airlock.publish', target: { type: 'airlock_request', id: requestId }, projectId, details: { fileIds } });
    });
    return caller;
  }

  /** Published results per project, for the public registry entries. */
  async registryOutputs(projectIds: string[]): Promise<Map<string, RegistryOutput[]>> {
    const out = new Map<string, RegistryOutput[]>();
    for (const f of await repo.publishedFiles(this.db, projectIds)) {
      const list = out.get(f.project_id) ?? [];
      list.push({ fileId: f.id, requestId: f.request_id, name: f.name, context: f.context, sha256: f.released_sha256!, releasedAt: f.released_at!.toISOString(), url: `/api/registry/results/${f.id}` });
      out.set(f.project_id, list);
    }
    return out;
  }

  /** A published result, for anyone (no login): checked like any download, audited with the caller's address. */
  async publicResult(actor: AnyActor | null, ip: string, fileId: string): Promise<Delivered> {
    const file = await repo.findFileById(this.db, fileId);
    if (!file || !file.published_at || !file.released_path || !file.released_sha256) throw new HdhError('airlock.result_not_found', 404);
    const content = await this.read(actor, file, file.released_path, file.released_sha256, { requestId: file.request_id, public: true }, ip);
    await this.db.transaction().execute((tx) => this.core.deps.audit.record(tx, { actor, ip, action: 'airlock.registry_download', target: { type: 'airlock_file', id: file.id }, projectId: file.project_id, details: { requestId: file.request_id, name: file.name, sha256: file.released_sha256, bytes: content.length } }));
    return { fileName: safeFileName(file.name, 'csv'), mediaType: 'text/csv; charset=utf-8', content, sha256: file.released_sha256 };
  }
}
