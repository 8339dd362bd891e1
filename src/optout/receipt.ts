/**
 * Receipt references — récépissés — of the opposition registry. A reference is random (75 bits
 * from the CSPRNG) plus one Luhn mod 32 check character, written in Crockford's base 32 (no I,
 * L, O, U: nothing to confuse when copied by hand) as `OPP-XXXX-XXXX-XXXX-XXXX`. It is shown
 * once; the registry keeps only its SHA-256, so a copy of the database cannot withdraw anything.
 * The check character lets the form say "this reference has a typo" before any lookup.
 */
import crypto from 'node:crypto';
import { sha256Hex } from '../platform/crypto/hashing.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const BASE = ALPHABET.length;
const DATA_LENGTH = 15;
const PREFIX = 'OPP';

function luhnCheckCharacter(data: string): string {
  let factor = 2;
  let sum = 0;
  for (let i = data.length - 1; i >= 0; i--) {
    const addend = factor * ALPHABET.indexOf(data[i]!);
    factor = factor === 2 ? 1 : 2;
    sum += Math.floor(addend / BASE) + (addend % BASE);
  }
  return ALPHABET[(BASE - (sum % BASE)) % BASE]!;
}

function format(compact: string): string {
  return `${PREFIX}-${compact.match(/.{4}/g)!.join('-')}`;
}

/** A new receipt reference, formatted for display. */
export function newReceipt(random: (size: number) => Buffer = crypto.randomBytes): string {
  // 15 characters × 5 bits: one byte per character, keeping its 5 low bits (uniform, as 256 is a multiple of 32).
  const bytes = random(DATA_LENGTH);
  let data = '';
  for (let i = 0; i < DATA_LENGTH; i++) data += ALPHABET[bytes[i]! % BASE];
  return format(data + luhnCheckCharacter(data));
}

export type ReceiptCheck = { ok: true; receipt: string } | { ok: false; problem: 'length' | 'characters' | 'check' };

/**
 * Reads a reference as a person may type it: any case, with or without the `OPP` prefix,
 * spaces or dashes; `I`/`L` read as 1 and `O` as 0 (Crockford). Returns the canonical form.
 */
export function parseReceipt(raw: string): ReceiptCheck {
  let compact = raw.toUpperCase().replace(/[\s-]/g, '');
  if (compact.startsWith(PREFIX) && compact.length === PREFIX.length + DATA_LENGTH + 1) compact = compact.slice(PREFIX.length);
  compact = compact.replace(/[IL]/g, '1').replace(/O/g, '0');
  if (compact.length !== DATA_LENGTH + 1) return { ok: false, problem: 'length' };
  if ([...compact].some((c) => !ALPHABET.includes(c))) return { ok: false, problem: 'characters' };
  if (luhnCheckCharacter(compact.slice(0, DATA_LENGTH)) !== compact[DATA_LENGTH]) return { ok: false, problem: 'check' };
  return { ok: true, receipt: format(compact) };
}

/** What the registry stores: the SHA-256 of the canonical reference. */
export function receiptHash(canonical: string): string {
  return sha256Hex(`hdh-opposition-receipt:${canonical}`);
}
