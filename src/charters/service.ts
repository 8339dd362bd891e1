/**
 * Charters — chartes (utilisateur, producteur, citoyen): versioned texts. A user must accept the
 * current user charter, which says that every action is traced (LOG-12), before any data access
 * (AUTH-05); the acceptance is recorded and audited.
 */
import crypto from 'node:crypto';
import type { Expression } from 'kysely';
import type { Actor, AnyActor } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import type { Db, Executor } from '../platform/db/database.js';
import { HdhError, registerMessages } from '../platform/errors.js';
import type { AuditService } from '../audit/service.js';
import { assertCanPublishCharter } from './policy.js';
import * as repo from './repo.js';
import type { CharterKind, CharterRow } from './repo.js';

registerMessages({
  'charter.not_found': { fr: 'Aucune charte « {kind} » publiée.', en: 'No published “{kind}” charter.' },
  'charter.not_current': {
    fr: 'Cette version de la charte n’est plus en vigueur ; relisez la version actuelle.',
    en: 'This charter version is no longer current; read the current version.',
  },
});

export interface Charter {
  id: string;
  kind: CharterKind;
  version: number;
  title: { fr: string; en: string };
  body: { fr: string; en: string };
  publishedAt: string;
}

export interface CharterInput {
  kind: CharterKind;
  title: { fr: string; en: string };
  body: { fr: string; en: string };
}

export class CharterService {
  constructor(private readonly deps: { db: Db; clock: Clock; audit: AuditService }) {}

  async current(kind: CharterKind): Promise<Charter | null> {
    const row = await repo.currentCharter(this.deps.db, kind);
    return row ? present(row) : null;
  }

  async list(): Promise<Charter[]> {
    return (await repo.listCharters(this.deps.db)).map(present);
  }

  /** True when the user accepted the current user charter (or none is published yet). */
  /** hasAcceptedCurrent as an SQL condition on a user id column, for another domain's query. */
  acceptedCurrentCondition(userId: Expression<string>): Expression<boolean> {
    return repo.acceptedCurrentUserCharter(userId);
  }

  async hasAcceptedCurrent(db: Executor, userId: string): Promise<boolean> {
    const charter = await repo.currentCharter(db, 'user');
    return !charter || repo.hasAccepted(db, userId, charter.id);
  }

  async accept(actor: Actor, charterId: string): Promise<void> {
    await this.deps.db.transaction().execute(async (tx) => {
      const current = await repo.currentCharter(tx, 'user');
      if (!current || current.id !== charterId) throw new HdhError('charter.not_current', 409);
      await repo.insertAcceptance(tx, { user_id: actor.userId, charter_id: charterId, accepted_at: this.deps.clock.now(), ip: actor.ip });
      await this.deps.audit.record(tx, { actor, action: 'charter.accept', target: { type: 'charter', id: charterId }, details: { kind: current.kind, version: current.version } });
    });
  }

  /** Publishes a new version; every user must accept it again before their next data access. */
  async publish(actor: AnyActor, input: CharterInput, tx?: Executor): Promise<Charter> {
    assertCanPublishCharter(actor);
    const run = async (t: Executor) => {
      const previous = await repo.currentCharter(t, input.kind);
      const row: CharterRow = {
        id: crypto.randomUUID(),
        kind: input.kind,
        version: (previous?.version ?? 0) + 1,
        title_fr: input.title.fr,
        title_en: input.title.en,
        body_fr: input.body.fr,
        body_en: input.body.en,
        published_at: this.deps.clock.now(),
        published_by: actor.kind === 'user' ? actor.userId : null,
      };
      await repo.insertCharter(t, row);
      await this.deps.audit.record(t, { actor, action: 'charter.publish', target: { type: 'charter', id: row.id }, details: { kind: row.kind, version: row.version } });
      return present(row);
    };
    return tx ? run(tx) : this.deps.db.transaction().execute(run);
  }
}

function present(row: CharterRow): Charter {
  return {
    id: row.id,
    kind: row.kind,
    version: row.version,
    title: { fr: row.title_fr, en: row.title_en },
    body: { fr: row.body_fr, en: row.body_en },
    publishedAt: row.published_at.toISOString(),
  };
}
