/**
 * Security alerts — alertes de sécurité (LOG-08): a domain raises one inside the transaction of
 * what it detected (with its audit event), the security officers list them, and each is e-mailed
 * to them after the commit through an outbox (retried by the hourly job). The e-mail says which
 * rule fired and when, nothing of the data (mail is not a safe channel).
 */
import crypto from 'node:crypto';
import type { AuditService } from '../audit/service.js';
import type { AnyActor } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import type { Db, Executor } from '../platform/db/database.js';
import type { Mailer } from '../platform/mail/mailer.js';
import { assertCanReadAlerts } from './policy.js';
import * as repo from './repo.js';
import type { AlertRule, AlertView, Severity } from './schema.js';

export type { AlertRule, AlertView, Severity } from './schema.js';

export interface AlertServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  /** Present when SMTP is configured. */
  mailer?: Mailer | undefined;
  /** The security officers to notify (active accounts), read outside any transaction. */
  recipients(): Promise<{ email: string; locale: 'fr' | 'en' }[]>;
}

export interface AlertInput {
  rule: AlertRule;
  severity: Severity;
  actor: AnyActor | null;
  /** Who, when there is no actor (an anonymous request). */
  actorLabel?: string;
  projectId?: string | undefined;
  details: Record<string, unknown>;
}

const MAX_EMAIL_ATTEMPTS = 5;
const EMAIL_WINDOW_MS = 7 * 86_400_000;

const ruleLabels: Record<AlertRule, { fr: string; en: string }> = {
  unreleased_download: { fr: 'tentative de téléchargement d’un fichier non libéré', en: 'attempt to download an unreleased file' },
  unauthorised_download: { fr: 'tentative de téléchargement par une personne hors du projet', en: 'download attempt by someone outside the project' },
  large_export: { fr: 'export d’un volume inhabituel', en: 'unusually large export' },
  altered_file: { fr: 'fichier libéré altéré sur le disque', en: 'released file altered on disk' },
};

export class AlertService {
  #sending: Promise<number> = Promise.resolve(0);
  constructor(private readonly deps: AlertServiceDeps) {}

  /** Records an alert in the caller's transaction (with its audit event); call `notifySoon()` after the commit. */
  async raise(tx: Executor, input: AlertInput): Promise<string> {
    const id = crypto.randomUUID();
    const actor = input.actor;
    const label = input.actorLabel ?? (actor ? (actor.kind === 'user' ? actor.email : `system:${actor.label}`) : 'anonymous');
    await repo.insertAlert(tx, { id, at: this.deps.clock.now(), rule: input.rule, severity: input.severity, actor_id: actor?.kind === 'user' ? actor.userId : null, actor_label: label, project_id: input.projectId ?? null, details: input.details });
    await this.deps.audit.record(tx, { actor, actorLabel: label, action: 'alert.raise', target: { type: 'security_alert', id }, projectId: input.projectId, details: { rule: input.rule, severity: input.severity } });
    return id;
  }

  /** After a commit: e-mail new alerts without making the caller wait. */
  notifySoon(): void {
    if (this.deps.mailer) void this.dispatchEmails().catch(() => undefined);
  }

  /** Alerts not e-mailed yet go to every security officer; one run at a time so none goes out twice. */
  dispatchEmails(): Promise<number> {
    const mailer = this.deps.mailer;
    if (!mailer) return Promise.resolve(0);
    const run = async () => {
      const since = new Date(this.deps.clock.now().getTime() - EMAIL_WINDOW_MS);
      const pending = await repo.unsentAlerts(this.deps.db, since, MAX_EMAIL_ATTEMPTS, 200);
      if (pending.length === 0) return 0;
      const to = await this.deps.recipients();
      let sent = 0;
      for (const alert of pending) {
        try {
          for (const r of to) await mailer.send({ to: r.email, ...alertEmail(alert, r.locale) });
          await repo.markEmailed(this.deps.db, alert.id, this.deps.clock.now());
          sent++;
        } catch (err) {
          await repo.markEmailFailed(this.deps.db, alert.id, alert.email_attempts + 1, err instanceof Error ? err.message : String(err));
        }
      }
      return sent;
    };
    this.#sending = this.#sending.catch(() => 0).then(run);
    return this.#sending;
  }

  /** The security officer's list, newest first; the read is audited. */
  async list(actor: AnyActor, limit = 200): Promise<AlertView[]> {
    assertCanReadAlerts(actor);
    return this.deps.db.transaction().execute(async (tx) => {
      const rows = await repo.listAlerts(tx, limit);
      await this.deps.audit.record(tx, { actor, action: 'alert.list', details: { count: rows.length } });
      return rows.map((r) => ({
        id: r.id, at: r.at.toISOString(), rule: r.rule, severity: r.severity, actor: r.actor_label,
        ...(r.project_id ? { projectId: r.project_id } : {}), details: r.details, emailed: r.emailed_at !== null,
      }));
    });
  }
}

function alertEmail(alert: repo.AlertRow, locale: 'fr' | 'en'): { subject: string; text: string } {
  const label = ruleLabels[alert.rule as AlertRule]?.[locale] ?? alert.rule;
  const at = alert.at.toISOString();
  return locale === 'fr'
    ? { subject: `[HDH] Alerte de sécurité (${alert.severity}) : ${label}`, text: `Règle : ${label}\nDate : ${at}\nCompte : ${alert.actor_label}\n\nConsultez la liste des alertes du Health Data Hub pour le détail.\n` }
    : { subject: `[HDH] Security alert (${alert.severity}): ${label}`, text: `Rule: ${label}\nAt: ${at}\nAccount: ${alert.actor_label}\n\nSee the Health Data Hub's alert list for details.\n` };
}
