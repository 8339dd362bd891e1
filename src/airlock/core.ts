/**
 * What the airlock's parts share: the caller's standing on a project, the request as they may see
 * it, the check of a table with the project's settings and earlier releases, the request's
 * history, and its view.
 */
import crypto from 'node:crypto';
import type { AlertService } from '../alerts/service.js';
import type { AuditService } from '../audit/service.js';
import type { CatalogService } from '../catalog/service.js';
import type { Actor, AnyActor } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import type { Db, Executor } from '../platform/db/database.js';
import { HdhError, registerMessages, type Locale } from '../platform/errors.js';
import type { ProjectAccess, ProjectService } from '../projects/service.js';
import type { WorkspaceService } from '../workspaces/service.js';
import { isLead, mayVote, standingOf, type Standing } from './policy.js';
import { presentRequest, tableOf, type VersionContent } from './presenters.js';
import * as repo from './repo.js';
import type { RequestRow } from './repo.js';
import type { OutputRequestView } from './schema.js';
import { checkTable } from './sdc/index.js';
import type { EarlierRelease, FileReport, SdcSettings, SdcTable } from './sdc/types.js';
import { AirlockSettings } from './settings-store.js';
import { ReleaseStorage, sha256 } from './storage.js';
import { isEditable, type RequestStatus } from './workflow.js';

registerMessages({
  'airlock.request_not_found': { fr: 'Demande de sortie introuvable.', en: 'Release request not found.' },
  'airlock.file_not_found': { fr: 'Fichier introuvable dans cette demande.', en: 'File not found in this request.' },
  'airlock.version_not_found': { fr: 'Version {version} introuvable.', en: 'Version {version} not found.' },
  'airlock.changed_meanwhile': { fr: 'La demande a changé entre-temps : rechargez-la.', en: 'The request changed meanwhile: reload it.' },
  'airlock.settings_not_found': { fr: 'Aucun paramètre propre au jeu de données {dataset}.', en: 'No settings of its own for dataset {dataset}.' },
});

export interface AirlockDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  projects: Pick<ProjectService, 'accessFacts' | 'get' | 'permit'>;
  catalog: Pick<CatalogService, 'getTable' | 'getDataset'>;
  workspaces: Pick<WorkspaceService, 'access' | 'capturedResult' | 'readTable'>;
  alerts: Pick<AlertService, 'raise' | 'notifySoon'>;
  /** Released files are written once under `<dir>/<project>/<request>/`. */
  dir: string;
  /** LOG-08: a release above either threshold raises a `large_export` alert. */
  largeExport: { rows: number; bytes: number };
}

export interface Caller {
  actor: Actor;
  project: ProjectAccess;
  standing: Standing;
}

/** Project statuses in which members still read their requests (and download released files). */
const READ_STATUSES = ['active', 'closed', 'archived'] as const;

export class AirlockCore {
  readonly settings: AirlockSettings;
  readonly storage: ReleaseStorage;

  constructor(readonly deps: AirlockDeps) {
    this.settings = new AirlockSettings(deps);
    this.storage = new ReleaseStorage(deps.dir);
  }

  now(): Date {
    return this.deps.clock.now();
  }

  /**
   * The project and the caller's standing (policy.ts). Members also pass the workspace's own
   * check — their end date, the project's, its status (`member`: active only) — which audits a refusal.
   */
  async caller(actor: AnyActor, projectId: string, mode: 'read' | 'member'): Promise<Caller> {
    const project = await this.deps.projects.accessFacts(projectId);
    const standing = standingOf(actor, project);
    if (standing === 'member') await this.deps.workspaces.access(actor, projectId, mode === 'member' ? ['active'] : READ_STATUSES);
    else if (mode === 'member') throw new HdhError('airlock.members_only', 403);
    return { actor: actor as Actor, project: project!, standing };
  }

  /** The request as the caller may see it: reviewers and staff only once it was submitted. */
  async request(db: Executor, caller: Caller, requestId: string, lock = false): Promise<RequestRow> {
    const row = lock ? await repo.lockRequest(db, caller.project.id, requestId) : await repo.findRequest(db, caller.project.id, requestId);
    if (!row || (caller.standing !== 'member' && !row.submitted_at)) throw new HdhError('airlock.request_not_found', 404);
    return row;
  }

  /** Under the row lock: the request still accepts file changes. */
  assertEditable(request: RequestRow): void {
    if (!isEditable(request.status)) throw new HdhError('airlock.transition_refused', 409, { action: 'edit', status: request.status });
  }

  /**
   * The check of a table with the project's settings (strictest over the hub and its datasets)
   * and its earlier releases (SDC-09), other than the request's own files. Reads outside any
   * transaction; the returned function is pure.
   */
  async checker(projectId: string, requestId: string): Promise<{ settings: SdcSettings; check: (table: SdcTable) => FileReport }> {
    const { settings } = await this.settings.effective(projectId);
    const released = await repo.releasedVersionsOfProject(this.deps.db, projectId);
    const earlier: EarlierRelease[] = released.filter((r) => r.request_id !== requestId).map((r) => ({ ref: `${r.request_id}/${r.file_id}`, table: tableOf(r) }));
    return { settings, check: (table) => checkTable(table, settings, earlier) };
  }

  /** One line of the request's history (the state machine's steps and the file changes). */
  async event(tx: Executor, request: RequestRow, actor: Actor, action: string, to: RequestStatus, options: { from?: RequestStatus; comment?: string | null; round?: number } = {}): Promise<void> {
    await repo.insertEvent(tx, { id: crypto.randomUUID(), request_id: request.id, at: this.now(), actor_id: actor.userId, actor_label: actor.displayName, action, from_status: options.from ?? request.status, to_status: to, round: options.round ?? request.round, comment: options.comment ?? null });
  }

  /** A new immutable version of a file: its cells, roles and check report, with the SHA-256 of its content (returned). */
  async insertVersion(tx: Executor, actor: Actor, fileId: string, version: number, note: string, header: string[], table: SdcTable, report: FileReport): Promise<string> {
    const model = table.model ?? null;
    const content = sha256(JSON.stringify({ columns: table.columns, header, rows: table.rows, model }));
    await repo.insertVersion(tx, { file_id: fileId, version, created_at: this.now(), created_by: actor.userId, note, columns: table.columns, header, rows: table.rows, row_count: table.rows.length, model, report, verdict: report.verdict, content_sha256: content });
    return content;
  }

  /** Everyone who wrote the request or a version of its files: none of them may review it (SDC-10). */
  async authors(db: Executor, request: RequestRow): Promise<Set<string>> {
    return new Set([request.created_by, ...(await repo.contributorIds(db, request.id))]);
  }

  /** The request's view for the caller; cells for members and reviewers only (hub staff follow the workflow). */
  async view(db: Executor, caller: Caller, request: RequestRow, locale: Locale, options: { cells?: boolean } = {}): Promise<OutputRequestView> {
    const cells = (options.cells ?? true) && caller.standing !== 'staff';
    const files = await repo.filesOf(db, [request.id]);
    const versions: Map<string, VersionContent> = cells ? await repo.currentVersions(db, files) : await repo.currentReports(db, files);
    const [history, attachments, votes, events, authors] = [
      await repo.versionSummaries(db, files.map((f) => f.id)),
      await repo.attachmentsOf(db, files.map((f) => f.id)),
      await repo.votesOf(db, request.id, request.round),
      await repo.eventsOf(db, request.id),
      await this.authors(db, request),
    ];
    const member = caller.standing === 'member';
    const editable = member && isEditable(request.status) && caller.project.status === 'active';
    const flags = {
      canEdit: editable,
      canSubmit: editable && files.length > 0,
      canVote: request.status === 'under_review' && mayVote(caller.actor, caller.project, authors) && !votes.some((v) => v.reviewer_id === caller.actor.userId),
      canDownload: member && request.status === 'released',
      canPublish: member && request.status === 'released' && isLead(caller.actor, caller.project),
    };
    return presentRequest({ request, files, versions, history, attachments, votes, events, flags, callerId: caller.actor.userId, locale });
  }
}
