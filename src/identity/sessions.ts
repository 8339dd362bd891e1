/**
 * Server-side sessions: the browser holds only a random id in an httpOnly cookie; the store keeps
 * its SHA-256, so a database dump cannot be replayed as cookies. A session dies after the idle
 * timeout (AUTH-15), after its absolute lifetime, at logout, or when the account is closed.
 */
import type { Clock } from '../platform/clock.js';
import { randomToken, sha256Hex } from '../platform/crypto/hashing.js';
import type { Executor } from '../platform/db/database.js';
import * as repo from './repo.js';
import type { SessionRow } from './repo.js';

export interface SessionPolicy {
  idleMs: number;
  maxMs: number;
}

export interface NewSession {
  /** The cookie value: shown once, never stored. */
  token: string;
  row: SessionRow;
}

export class SessionStore {
  constructor(
    private readonly clock: Clock,
    private readonly policy: SessionPolicy,
  ) {}

  async create(
    tx: Executor,
    input: { userId: string; level: SessionRow['level']; authMethod: string; ip: string | null; userAgent: string | null },
  ): Promise<NewSession> {
    const now = this.clock.now();
    const token = randomToken(32);
    const row: SessionRow = {
      id_hash: sha256Hex(token),
      user_id: input.userId,
      level: input.level,
      csrf_token: randomToken(24),
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + this.policy.maxMs),
      ip: input.ip,
      user_agent: input.userAgent?.slice(0, 300) ?? null,
      auth_method: input.authMethod,
      pending_challenge: null,
      revoked_at: null,
    };
    await repo.insertSession(tx, row);
    return { token, row };
  }

  /**
   * The live session for a cookie value, its idle clock reset; null when unknown, revoked, idle
   * too long or past its lifetime (an expired one is revoked on the way, with its reason).
   * `load` reads the session row and whatever the caller needs with it, in one query.
   */
  async resolve<R extends SessionRow>(db: Executor, token: string, load: (db: Executor, idHash: string) => Promise<R | undefined>): Promise<{ row: R; expired?: 'idle' | 'lifetime' } | null> {
    if (!token || token.length > 100) return null;
    const row = await load(db, sha256Hex(token));
    if (!row || row.revoked_at) return null;
    const now = this.clock.now();
    const expired = now >= row.expires_at ? 'lifetime' : now.getTime() - row.last_seen_at.getTime() > this.policy.idleMs ? 'idle' : undefined;
    if (expired) {
      await repo.updateSession(db, row.id_hash, { revoked_at: now });
      return { row, expired };
    }
    // Write the idle clock at most every 15 s: a burst of API calls costs one UPDATE.
    if (now.getTime() - row.last_seen_at.getTime() > 15_000) {
      await repo.updateSession(db, row.id_hash, { last_seen_at: now });
      row.last_seen_at = now;
    }
    return { row };
  }

  revoke(db: Executor, idHash: string): Promise<unknown> {
    return repo.updateSession(db, idHash, { revoked_at: this.clock.now() });
  }

  revokeAllOf(db: Executor, userId: string): Promise<unknown> {
    return repo.revokeUserSessions(db, userId, this.clock.now());
  }

  setChallenge(db: Executor, idHash: string, challenge: string | null): Promise<unknown> {
    return repo.updateSession(db, idHash, { pending_challenge: challenge });
  }

  /** Raises a session's level; `authMethod` records the factor that did it (e.g. 'oidc+totp'). */
  upgrade(db: Executor, idHash: string, level: SessionRow['level'], authMethod?: string): Promise<unknown> {
    return repo.updateSession(db, idHash, { level, ...(authMethod ? { auth_method: authMethod } : {}) });
  }
}
