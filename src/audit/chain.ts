/**
 * The hash chain of the audit log (LOG-05): each event's hash covers its content and the previous
 * event's hash, so editing, deleting, inserting or reordering any event breaks every hash after it.
 */
import { canonicalJson, sha256Hex } from '../platform/crypto/hashing.js';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedEvent {
  seq: number;
  occurredAt: Date;
  actorId: string | null;
  actorLabel: string;
  actorRole: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  projectId: string | null;
  outcome: 'success' | 'failure' | 'denied';
  sourceIp: string | null;
  details: Record<string, unknown>;
  prevHash: string;
}

export function eventHash(e: ChainedEvent): string {
  return sha256Hex(
    canonicalJson([
      e.seq,
      e.occurredAt.toISOString(),
      e.actorId,
      e.actorLabel,
      e.actorRole,
      e.action,
      e.targetType,
      e.targetId,
      e.projectId,
      e.outcome,
      e.sourceIp,
      e.details,
      e.prevHash,
    ]),
  );
}

/** What a daily seal signs: the day, the last event of that day, its hash and the day's count. */
export function sealMessage(seal: { day: string; lastSeq: number; headHash: string; eventCount: number }): string {
  return `hdh-audit-seal/v1|${seal.day}|${seal.lastSeq}|${seal.headHash}|${seal.eventCount}`;
}
