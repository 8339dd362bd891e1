/**
 * Keyed pseudonyms (DP-01..DP-05): HMAC-SHA-256 of the identifier under a secret key that has an
 * id and a version (rotation, DP-05). The keys live in the secrets file named by config, never in
 * the database, the lake or a log; every opening of a key is reported to `onAccess` so the hub
 * traces it (LOG-09). Project pseudonyms use a key derived per project with HKDF from the master
 * key (DP-03), so a project never holds a master key (DP-04).
 *
 * `hmacHexBatch` and `Pseudonymiser` are the places that compute pseudonyms; callers hash each
 * distinct value once and join. The output is the lowercase hex of the full 32-byte MAC. The work
 * is done by hmac-batch.ts: a native batch (same bytes as `createHmac`) when the addon is built,
 * `createHmac` per value otherwise.
 */
import crypto from 'node:crypto';
import { hmacSha256Hex, hmacSha256Packed, hmacSha256PackedAsync, type PackedLayout } from './hmac-batch.js';

export interface PseudonymKeyRef {
  id: string;
  version: number;
}

export interface PseudonymKeyMaterial extends PseudonymKeyRef {
  /** base64 of at least 32 random bytes */
  key: string;
}

export interface KeyAccess {
  key: PseudonymKeyRef;
  /** why the key was opened: `ingest`, `optout`, `linkage`, `extraction:<project>`… */
  purpose: string;
  /** who asked (account e-mail or `system:<job>`) */
  actorLabel: string;
  /** set when a per-project key was derived */
  derivedFor?: string;
}

/** Computes HMAC-SHA-256(key, value) for every value (UTF-8), as lowercase hex. */
export function hmacHexBatch(key: Buffer, values: readonly string[]): string[] {
  return hmacSha256Hex(key, values);
}

export interface PackedPseudonymOptions {
  /** 64 lowercase hex characters per value (what `pseudonymise` returns, as ASCII) instead of 32 bytes. */
  hex?: boolean;
  /** Threads for this batch (async only; worth it from about 100,000 values). Default 1. */
  threads?: number;
  /** Sync only: a buffer to write into and return a view of (reused across chunks by bulk callers). */
  out?: Uint8Array;
}

export interface Pseudonymiser {
  readonly key: PseudonymKeyRef;
  /** Same value → same pseudonym under this key; different under any other key. */
  pseudonymise(values: readonly string[]): string[];
  /**
   * For bulk callers: values packed in one buffer (UTF-8 bytes; `layout` is n + 1 byte offsets
   * or a fixed width, e.g. 13 for NIRs). Returns n × 32 bytes of MAC, or n × 64 hex characters;
   * the hex of value i equals `pseudonymise([value i])[0]`.
   */
  pseudonymisePacked(data: Uint8Array, layout: PackedLayout, options?: Pick<PackedPseudonymOptions, 'hex' | 'out'>): Buffer;
  /** Same as `pseudonymisePacked`, computed off the JavaScript thread. */
  pseudonymisePackedAsync(data: Uint8Array, layout: PackedLayout, options?: Pick<PackedPseudonymOptions, 'hex' | 'threads'>): Promise<Buffer>;
}

class HmacPseudonymiser implements Pseudonymiser {
  readonly #secret: Buffer;
  constructor(readonly key: PseudonymKeyRef, secret: Buffer) {
    this.#secret = secret;
  }
  pseudonymise(values: readonly string[]): string[] {
    return hmacHexBatch(this.#secret, values);
  }
  pseudonymisePacked(data: Uint8Array, layout: PackedLayout, options: Pick<PackedPseudonymOptions, 'hex' | 'out'> = {}): Buffer {
    return hmacSha256Packed(this.#secret, data, layout, { hex: options.hex ?? false, ...(options.out ? { out: options.out } : {}) });
  }
  pseudonymisePackedAsync(data: Uint8Array, layout: PackedLayout, options: Pick<PackedPseudonymOptions, 'hex' | 'threads'> = {}): Promise<Buffer> {
    return hmacSha256PackedAsync(this.#secret, data, layout, { hex: options.hex ?? false, threads: options.threads ?? 1 });
  }
  /** Never serialised: a pseudonymiser printed or logged shows its key reference only. */
  toJSON(): PseudonymKeyRef {
    return this.key;
  }
}

export class PseudonymKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PseudonymKeyError';
  }
}

export class PseudonymKeyRing {
  readonly #keys: Map<string, Buffer>;
  readonly #current: PseudonymKeyRef;

  constructor(keys: readonly PseudonymKeyMaterial[], private readonly onAccess: (access: KeyAccess) => Promise<void> | void) {
    if (keys.length === 0) throw new PseudonymKeyError('No pseudonymisation key configured');
    this.#keys = new Map();
    for (const k of keys) {
      const secret = Buffer.from(k.key, 'base64');
      if (secret.length < 32) throw new PseudonymKeyError(`Pseudonymisation key ${k.id} v${k.version} is shorter than 32 bytes`);
      this.#keys.set(refName(k), secret);
    }
    const latest = [...keys].sort((a, b) => b.version - a.version)[0]!;
    this.#current = { id: latest.id, version: latest.version };
  }

  /** The key new loads use: the highest version. */
  current(): PseudonymKeyRef {
    return { ...this.#current };
  }

  /**
   * Every key version the ring holds, highest version first. Listing opens no key (nothing is
   * traced): the opposition registry pseudonymises under each of them so that an opposition
   * keeps applying to releases made under an older key as well as under the current one.
   */
  refs(): PseudonymKeyRef[] {
    return [...this.#keys.keys()].map(parseRefName).sort((a, b) => b.version - a.version || a.id.localeCompare(b.id));
  }

  /** Opens a master key for hub-side pseudonymisation (ingest, opposition, linkage). Traced. */
  async open(purpose: string, actorLabel: string, ref: PseudonymKeyRef = this.#current): Promise<Pseudonymiser> {
    const secret = this.#secret(ref);
    await this.onAccess({ key: { ...ref }, purpose, actorLabel });
    return new HmacPseudonymiser({ ...ref }, secret);
  }

  /**
   * Opens the key of one project (DP-03): HKDF-SHA-256 of the master key with the project id as
   * info. The same person gets different pseudonyms in two projects and in the lake. Traced.
   */
  async openForProject(projectId: string, actorLabel: string, ref: PseudonymKeyRef = this.#current): Promise<Pseudonymiser> {
    const derived = deriveProjectKey(this.#secret(ref), projectId);
    await this.onAccess({ key: { ...ref }, purpose: `extraction:${projectId}`, actorLabel, derivedFor: projectId });
    return new HmacPseudonymiser({ ...ref }, derived);
  }

  #secret(ref: PseudonymKeyRef): Buffer {
    const secret = this.#keys.get(refName(ref));
    if (!secret) throw new PseudonymKeyError(`Unknown pseudonymisation key ${ref.id} v${ref.version}`);
    return secret;
  }

  toJSON(): { current: PseudonymKeyRef } {
    return { current: this.current() };
  }
}

export function deriveProjectKey(master: Buffer, projectId: string): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', master, 'hdh-project-pseudonyms', `project:${projectId}`, 32));
}

function refName(ref: PseudonymKeyRef): string {
  return `${ref.id}@${ref.version}`;
}

function parseRefName(name: string): PseudonymKeyRef {
  const at = name.lastIndexOf('@');
  return { id: name.slice(0, at), version: Number(name.slice(at + 1)) };
}
