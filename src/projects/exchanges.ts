/**
 * Exchanges — échanges: threaded messages between the applicant's team and the hub on a file,
 * and the in-app notifications they and the procedure raise.
 */
import crypto from 'node:crypto';
import type { AnyActor } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import type { Db, Executor } from '../platform/db/database.js';
import { assertDataAccess } from '../platform/actor.js';
import { HdhError } from '../platform/errors.js';
import type { AuditService } from '../audit/service.js';
import type { Mailer } from '../platform/mail/mailer.js';
import { emailFor } from './emails.js';
import { messageSide, type ProjectAccessFacts } from './policy.js';
import * as repo from './repo.js';
import type { ProjectRow } from './repo.js';
import { notifyApplicants } from './workflow.js';

export interface ExchangesDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  /** Present when SMTP is configured: notifications are then e-mailed too. */
  mailer?: Mailer | undefined;
  /** Recipient's address and language, read outside any transaction. */
  recipient(userId: string): Promise<{ email: string; locale: 'fr' | 'en' } | null>;
  load(tx: Executor, actor: AnyActor, id: string): Promise<{ project: ProjectRow; facts: ProjectAccessFacts }>;
}

export interface MessageView {
  id: string;
  parentId: string | null;
  authorLabel: string;
  side: 'applicant' | 'hub';
  body: string;
  createdAt: string;
}

/** Attempts per notification before it stays in the app only. */
const MAX_EMAIL_ATTEMPTS = 5;
const EMAIL_WINDOW_MS = 7 * 86_400_000;

export class Exchanges {
  #sending: Promise<number> = Promise.resolve(0);
  constructor(private readonly deps: ExchangesDeps) {}

  /**
   * E-mails the notifications not sent yet (an outbox: written with the change, sent after the
   * commit, retried by the hourly job). Runs one at a time so no message goes out twice.
   */
  dispatchEmails(): Promise<number> {
    if (!this.deps.mailer) return Promise.resolve(0);
    const run = async (mailer: Mailer) => {
      let sent = 0;
      const since = new Date(this.deps.clock.now().getTime() - EMAIL_WINDOW_MS);
      for (const n of await repo.unsentNotifications(this.deps.db, since, MAX_EMAIL_ATTEMPTS, 200)) {
        const to = await this.deps.recipient(n.user_id);
        if (!to) {
          await repo.markEmailFailed(this.deps.db, n.id, MAX_EMAIL_ATTEMPTS, 'no active account');
          continue;
        }
        try {
          await mailer.send({ to: to.email, ...emailFor(n.kind, n.details, to.locale) });
          await repo.markEmailed(this.deps.db, n.id, this.deps.clock.now());
          sent++;
        } catch (err) {
          await repo.markEmailFailed(this.deps.db, n.id, n.email_attempts + 1, err instanceof Error ? err.message : String(err));
        }
      }
      return sent;
    };
    const mailer = this.deps.mailer;
    this.#sending = this.#sending.catch(() => 0).then(() => run(mailer));
    return this.#sending;
  }

  async post(actor: AnyActor, projectId: string, input: { body: string; parentId?: string | undefined }): Promise<MessageView> {
    return this.deps.db.transaction().execute(async (tx) => {
      const { project, facts } = await this.deps.load(tx, actor, projectId);
      if (input.parentId && !(await repo.findMessage(tx, projectId, input.parentId))) throw new HdhError('project.message_parent_not_found', 404, {}, [{ location: 'body.parentId', message: 'unknown message' }]);
      const now = this.deps.clock.now();
      const side = messageSide(actor, facts);
      const row = { id: crypto.randomUUID(), project_id: projectId, parent_id: input.parentId ?? null, author_id: actor.kind === 'user' ? actor.userId : null, author_label: actor.kind === 'user' ? actor.displayName : `system:${actor.label}`, author_side: side, body: input.body, created_at: now };
      await repo.insertMessage(tx, row);
      await this.deps.audit.record(tx, { actor, action: 'project.message.post', target: { type: 'project_message', id: row.id }, projectId, details: { side, parentId: row.parent_id, length: input.body.length } });
      await notifyApplicants(tx, project, 'project.message', { reference: project.reference, messageId: row.id, side }, now, actor.kind === 'user' ? actor.userId : undefined);
      return { id: row.id, parentId: row.parent_id, authorLabel: row.author_label, side, body: row.body, createdAt: now.toISOString() };
    });
  }

  /** The messages of a file, oldest first. */
  async thread(actor: AnyActor, projectId: string): Promise<MessageView[]> {
    return this.deps.db.transaction().execute(async (tx) => {
      await this.deps.load(tx, actor, projectId);
      const rows = await repo.messages(tx, projectId);
      await this.deps.audit.record(tx, { actor, action: 'project.message.read', target: { type: 'project', id: projectId }, projectId, details: { count: rows.length } });
      // Flat and oldest first; parentId links the threads (the client nests them).
      return rows.map((r) => ({ id: r.id, parentId: r.parent_id, authorLabel: r.author_label, side: r.author_side, body: r.body, createdAt: r.created_at.toISOString() }));
    });
  }

  async notifications(actor: AnyActor, unreadOnly: boolean) {
    assertDataAccess(actor);
    if (actor.kind !== 'user') return [];
    const rows = await repo.notificationsOf(this.deps.db, actor.userId, unreadOnly);
    return rows.map((n) => ({ id: n.id, projectId: n.project_id, kind: n.kind, details: n.details, createdAt: n.created_at.toISOString(), readAt: n.read_at?.toISOString() ?? null }));
  }

  async markRead(actor: AnyActor, id: string): Promise<void> {
    assertDataAccess(actor);
    if (actor.kind !== 'user') return;
    const res = await repo.markNotificationRead(this.deps.db, actor.userId, id, this.deps.clock.now());
    if (Number(res.numUpdatedRows) === 0) throw new HdhError('notification.not_found', 404);
  }
}
