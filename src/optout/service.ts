/**
 * The opposition registry — registre des oppositions, droit d'opposition (PR-01..PR-04, DP-01).
 *
 * A person records an opposition on a public form with their NIR and birth date, with no
 * account. The NIR is checked, compared with the birth date, and pseudonymised at once under
 * every key version of the hub's ring; neither the NIR nor the birth date is stored or logged.
 * The registry keeps, per opposition: an internal id, a status, the dates, the SHA-256 of a
 * random receipt reference (shown once), and the pseudonyms with their key references. The
 * person withdraws with the receipt and the NIR. Staff see counts, never people.
 *
 * The extraction applies the registry through `optedOutPseudonyms` and `oppositionApplies`.
 *
 * Limit — key rotation: pseudonyms exist only for the key versions the ring held when the
 * opposition was recorded (the NIR is gone afterwards). A key version added later has no
 * pseudonym for earlier oppositions until a rotation bridge adds them (`bridgeKey`: whoever
 * pseudonymises the producers' NIRs under both keys hands over old → new pairs). Until then
 * `optedOutPseudonyms` refuses that key rather than return an incomplete list.
 */
import crypto from 'node:crypto';
import type { AuditService } from '../audit/service.js';
import type { AnyActor } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import type { PseudonymKeyRef, PseudonymKeyRing } from '../platform/crypto/pseudonym.js';
import { constantTimeEqual } from '../platform/crypto/hashing.js';
import type { Db, Executor } from '../platform/db/database.js';
import { HdhError, registerMessages } from '../platform/errors.js';
import { checkNir } from '../platform/identifiers/nir.js';
import { traitProblems } from './identity-traits.js';
import { assertCanBridgeKeys, assertCanReadOppositionCounts, assertCanReadOptedOutPseudonyms } from './policy.js';
import { newReceipt, parseReceipt, receiptHash } from './receipt.js';
import * as repo from './repo.js';
import type { OppositionCounts, OppositionReceipt, RecordOppositionInput, WithdrawOppositionInput } from './schema.js';

registerMessages({
  'optout.nir_length': {
    fr: 'Le NIR doit compter 15 caractères : 13 pour le numéro et 2 pour la clé.',
    en: 'The NIR must have 15 characters: 13 for the number and 2 for the key.',
  },
  'optout.nir_characters': {
    fr: 'Le NIR contient un caractère inattendu : chiffres seulement, sauf 2A ou 2B (Corse) en 6e et 7e positions ; le premier chiffre est 1, 2, 3, 7 ou 8.',
    en: 'The NIR has an unexpected character: digits only, except 2A or 2B (Corsica) in 6th and 7th position; the first digit is 1, 2, 3, 7 or 8.',
  },
  'optout.nir_key': {
    fr: 'La clé du NIR (2 derniers chiffres) ne correspond pas au numéro : vérifiez chaque chiffre.',
    en: 'The NIR key (last 2 digits) does not match the number: check each digit.',
  },
  'optout.birth_date_mismatch': {
    fr: 'La date de naissance ne correspond pas au NIR ({part}) : vérifiez le NIR et la date.',
    en: 'The birth date does not match the NIR ({part}): check the NIR and the date.',
  },
  'optout.birth_date_future': { fr: 'La date de naissance est dans le futur.', en: 'The birth date is in the future.' },
  'optout.receipt_invalid': {
    fr: 'Ce numéro de récépissé est mal formé (OPP- suivi de 16 caractères) ou contient une faute de frappe.',
    en: 'This receipt reference is malformed (OPP- followed by 16 characters) or has a typo.',
  },
  'optout.no_match': {
    fr: 'Aucune opposition active ne correspond à ce récépissé et à ce NIR.',
    en: 'No active opposition matches this receipt reference and this NIR.',
  },
  'optout.key_not_covered': {
    fr: '{missing} opposition(s) active(s) n’ont pas de pseudonyme sous la clé {key} : une passerelle de rotation est nécessaire avant toute extraction sous cette clé.',
    en: '{missing} active opposition(s) have no pseudonym under key {key}: a rotation bridge is needed before any extraction under this key.',
  },
});

export interface OptoutServiceDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  pseudonyms: PseudonymKeyRing;
}

/** Where a public request came from: kept in the audit trail for abuse investigations only. */
export interface RequestOrigin {
  ip: string | null;
}

/** Who opens the keys for the public form: no account, so a label (LOG-09). */
const PUBLIC_FORM = 'public:opposition-form';

/**
 * PR-02: the opposition applies to research projects only, not to the permanent-access and
 * public-service missions (R1461-9 II). Pass the project's permit (ProjectService.permit).
 */
export function oppositionApplies(permit: { publicServiceMission: boolean }): boolean {
  return !permit.publicServiceMission;
}

export class OptoutService {
  constructor(private readonly deps: OptoutServiceDeps) {}

  /**
   * Records an opposition (PR-01): effective for every extraction started after this returns.
   * Returns the receipt reference — the only time it is ever shown.
   */
  async record(input: RecordOppositionInput, origin: RequestOrigin): Promise<OppositionReceipt> {
    const nir13 = await this.checkedNir(input.nir, 'optout.record', origin);
    const problems = traitProblems(nir13, input.birthDate, parisDay(this.deps.clock.now()));
    if (problems.length > 0) {
      await this.refused('optout.record', problems[0]!, origin);
      if (problems[0] === 'birth_date_future') {
        throw new HdhError('optout.birth_date_future', 400, {}, [{ location: 'body.birthDate', problem: 'birth_date_future', message: 'after today' }]);
      }
      const part = problems.map((p) => (p === 'birth_year' ? 'year' : 'month')).join(', ');
      throw new HdhError('optout.birth_date_mismatch', 400, { part }, [
        { location: 'body.birthDate', problem: problems[0], message: `the ${part} of birth differs from the NIR` },
        { location: 'body.nir', problem: problems[0], message: `the ${part} of birth differs from the birth date` },
      ]);
    }
    // Keys are opened (and their opening audited) before the transaction: PGlite has one connection.
    const pseudonyms = await this.pseudonymiseUnderEveryKey(nir13);
    const receipt = newReceipt();
    const row: repo.OppositionRow = { id: crypto.randomUUID(), receipt_hash: receiptHash(receipt), status: 'active', recorded_at: this.deps.clock.now(), withdrawn_at: null };
    await this.deps.db.transaction().execute(async (tx) => {
      await repo.insertOpposition(tx, row, pseudonyms);
      await this.deps.audit.record(tx, {
        actor: null, actorLabel: 'anonymous', action: 'optout.record', ip: origin.ip,
        target: { type: 'opposition', id: row.id },
        details: { keys: pseudonyms.map((p) => `${p.key.id}@${p.key.version}`) },
      });
    });
    return { receipt, recordedAt: row.recorded_at.toISOString() };
  }

  /**
   * Withdraws the opposition of this receipt, when the NIR is the one it was recorded with
   * (PR-03: the receipt is what was handed over, the NIR what the person knows). The same
   * answer for an unknown receipt and a wrong NIR, so neither can be probed.
   */
  async withdraw(input: WithdrawOppositionInput, origin: RequestOrigin): Promise<{ withdrawnAt: string }> {
    const parsed = parseReceipt(input.receipt);
    if (!parsed.ok) {
      await this.refused('optout.withdraw', `receipt_${parsed.problem}`, origin);
      throw new HdhError('optout.receipt_invalid', 400, {}, [{ location: 'body.receipt', problem: parsed.problem, message: `receipt ${parsed.problem}` }]);
    }
    const nir13 = await this.checkedNir(input.nir, 'optout.withdraw', origin);
    const hash = receiptHash(parsed.receipt);
    const found = await repo.findByReceipt(this.deps.db, hash);
    const stored = found?.status === 'active' ? await repo.pseudonymsOf(this.deps.db, found.id) : [];
    const held = this.deps.pseudonyms.refs();
    const comparable = stored.find((s) => held.some((k) => k.id === s.key_id && k.version === s.key_version));
    let matches = false;
    if (found && comparable) {
      const pseudonymiser = await this.deps.pseudonyms.open('optout', PUBLIC_FORM, { id: comparable.key_id, version: comparable.key_version });
      matches = constantTimeEqual(pseudonymiser.pseudonymise([nir13])[0]!, comparable.pseudonym);
    }
    const withdrawnAt = this.deps.clock.now();
    const done = matches && (await this.deps.db.transaction().execute(async (tx) => {
      // Re-read under lock: a concurrent withdrawal of the same receipt must not run twice.
      const locked = await repo.findByReceipt(tx, hash, { lock: true });
      if (locked?.status !== 'active') return false;
      await repo.markWithdrawn(tx, locked.id, withdrawnAt);
      await this.deps.audit.record(tx, { actor: null, actorLabel: 'anonymous', action: 'optout.withdraw', ip: origin.ip, target: { type: 'opposition', id: locked.id } });
      return true;
    }));
    if (!done) {
      const reason = !found ? 'unknown_receipt' : found.status !== 'active' ? 'not_active' : !comparable ? 'no_key_held' : 'nir_mismatch';
      await this.deps.audit.recordStandalone({
        actor: null, actorLabel: 'anonymous', action: 'optout.withdraw', outcome: 'failure', ip: origin.ip,
        ...(found ? { target: { type: 'opposition', id: found.id } } : {}),
        details: { reason },
      });
      throw new HdhError('optout.no_match', 404, {}, [
        { location: 'body.receipt', problem: 'no_match', message: 'no active opposition with this receipt and NIR' },
        { location: 'body.nir', problem: 'no_match', message: 'no active opposition with this receipt and NIR' },
      ]);
    }
    return { withdrawnAt: withdrawnAt.toISOString() };
  }

  /** Counts for hub staff: active oppositions, recordings and withdrawals per month (Paris time). Never people. */
  async counts(actor: AnyActor): Promise<OppositionCounts> {
    assertCanReadOppositionCounts(actor);
    return this.deps.db.transaction().execute(async (tx) => {
      const active = await repo.countActive(tx);
      const months = await repo.countsPerMonth(tx);
      await this.deps.audit.record(tx, { actor, action: 'optout.counts.read', details: { active } });
      return { asOf: this.deps.clock.now().toISOString(), active, months };
    });
  }

  /**
   * THE CONTRACT WITH THE EXTRACTION (PR-01, PR-02). The pseudonyms, under lake key `key`, of
   * every person with an active opposition: distinct lowercase hex HMAC-SHA-256 values, sorted,
   * comparable with the pseudonym column of a release pseudonymised under the same key (its
   * manifest names the key). An extraction for a project where `oppositionApplies(permit)` is
   * true must drop every row whose pseudonym is in this list before deriving project pseudonyms.
   *
   * - Fails closed: throws `optout.key_not_covered` (409) when some active opposition has no
   *   pseudonym under `key` (a key version added after it was recorded, see the module comment),
   *   rather than return a list that would let an opposed person through.
   * - Caller: a system actor (the extraction job) or hub staff (hub_instructor, administrator)
   *   with a full session; never a project member (these are lake pseudonyms, DP-04).
   * - Audited (`optout.pseudonyms.read`, with `projectId` when given and the count, no pseudonym).
   * - `tx`: pass the caller's transaction to read the registry in the same snapshot as the rest
   *   of the extraction (and, on PGlite, because a nested connection would wait forever).
   * - Size: 64 characters per opposition; a million oppositions is about 130 MB of strings.
   */
  async optedOutPseudonyms(actor: AnyActor, key: PseudonymKeyRef, options: { projectId?: string; tx?: Executor } = {}): Promise<string[]> {
    assertCanReadOptedOutPseudonyms(actor);
    const run = async (tx: Executor) => {
      const missing = await repo.countActiveWithoutKey(tx, key);
      if (missing > 0) throw new HdhError('optout.key_not_covered', 409, { key: `${key.id}@${key.version}`, missing });
      const pseudonyms = await repo.activePseudonyms(tx, key);
      await this.deps.audit.record(tx, {
        actor, action: 'optout.pseudonyms.read', projectId: options.projectId,
        target: { type: 'pseudonym_key', id: `${key.id}@${key.version}` },
        details: { count: pseudonyms.length },
      });
      return pseudonyms;
    };
    return options.tx ? run(options.tx) : this.deps.db.transaction().execute(run);
  }

  /**
   * Rotation bridge (DP-05): adds pseudonyms under key `to` for the active oppositions known under
   * `from`, from `pairs` (pseudonym under `from` → pseudonym under `to`, computed by whoever holds
   * the NIRs and both keys, e.g. the re-pseudonymisation of a source during a rotation). Returns
   * how many were added and how many active oppositions still lack a pseudonym under `to`.
   */
  async bridgeKey(actor: AnyActor, from: PseudonymKeyRef, to: PseudonymKeyRef, pairs: ReadonlyMap<string, string>): Promise<{ added: number; stillMissing: number }> {
    assertCanBridgeKeys(actor);
    return this.deps.db.transaction().execute(async (tx) => {
      const candidates = await repo.bridgeCandidates(tx, from, to);
      const rows = candidates.flatMap((c) => {
        const pseudonym = pairs.get(c.pseudonym);
        return pseudonym && /^[0-9a-f]{64}$/.test(pseudonym) ? [{ opposition_id: c.opposition_id, key_id: to.id, key_version: to.version, pseudonym }] : [];
      });
      await repo.insertPseudonyms(tx, rows);
      const stillMissing = await repo.countActiveWithoutKey(tx, to);
      await this.deps.audit.record(tx, { actor, action: 'optout.key_bridge', target: { type: 'pseudonym_key', id: `${to.id}@${to.version}` }, details: { from: `${from.id}@${from.version}`, added: rows.length, stillMissing } });
      return { added: rows.length, stillMissing };
    });
  }

  private async checkedNir(raw: string, action: string, origin: RequestOrigin): Promise<string> {
    const checked = checkNir(raw);
    if (checked.ok) return checked.nir;
    await this.refused(action, `nir_${checked.problem}`, origin);
    throw new HdhError(`optout.nir_${checked.problem}`, 400, {}, [{ location: 'body.nir', problem: checked.problem, message: `NIR ${checked.problem} check failed` }]);
  }

  /** A refused public request leaves a trace (LOG-03) with the reason only: never the value. */
  private refused(action: string, reason: string, origin: RequestOrigin): Promise<number> {
    return this.deps.audit.recordStandalone({ actor: null, actorLabel: 'anonymous', action, outcome: 'failure', ip: origin.ip, details: { reason } });
  }

  private async pseudonymiseUnderEveryKey(nir13: string): Promise<{ key: PseudonymKeyRef; pseudonym: string }[]> {
    const out: { key: PseudonymKeyRef; pseudonym: string }[] = [];
    for (const ref of this.deps.pseudonyms.refs()) {
      const pseudonymiser = await this.deps.pseudonyms.open('optout', PUBLIC_FORM, ref);
      out.push({ key: pseudonymiser.key, pseudonym: pseudonymiser.pseudonymise([nir13])[0]! });
    }
    return out;
  }
}

/** The calendar day in Paris, the hub's legal time, as `YYYY-MM-DD`. */
function parisDay(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
