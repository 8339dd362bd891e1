import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hmacEngineInfo, loadNativeEngine, hmacEngines, hmacSha256Hex, hmacSha256Packed, hmacSha256PackedAsync, packUtf8, splitHex, type HmacEngine } from './hmac-batch.js';
import { PseudonymKeyRing } from './pseudonym.js';

const { node, native, nativeOpenssl } = hmacEngines();
// The addon is built by `npm ci`; where it cannot be (no compiler) these tests say so, except on CI.
const nativeMissing = !native && process.env.CI !== 'true';
if (nativeMissing) console.warn(`hmac-batch tests: native engine skipped — ${hmacEngineInfo().detail}`);

const engines: [string, HmacEngine | null][] = [
  ['node', node],
  ['native', native],
  ['native (OpenSSL core)', nativeOpenssl],
];

/** RFC 4231 §4.2–4.8, full 32-byte outputs (case 5 truncates, checked on its first 16 bytes). */
const rfc4231: { key: Buffer; data: Buffer; mac: string }[] = [
  { key: Buffer.alloc(20, 0x0b), data: Buffer.from('Hi There'), mac: 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7' },
  { key: Buffer.from('Jefe'), data: Buffer.from('what do ya want for nothing?'), mac: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843' },
  { key: Buffer.alloc(20, 0xaa), data: Buffer.alloc(50, 0xdd), mac: '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe' },
  { key: Buffer.from(Array.from({ length: 25 }, (_, i) => i + 1)), data: Buffer.alloc(50, 0xcd), mac: '82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b' },
  { key: Buffer.alloc(20, 0x0c), data: Buffer.from('Test With Truncation'), mac: 'a3b6167473100ee06e0c796c2955552b' },
  { key: Buffer.alloc(131, 0xaa), data: Buffer.from('Test Using Larger Than Block-Size Key - Hash Key First'), mac: '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54' },
  {
    key: Buffer.alloc(131, 0xaa),
    data: Buffer.from('This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.'),
    mac: '9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
  },
];

/** A seeded generator: failures replay. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Strings of 0–80 UTF-16 units: digits, letters, accents, €, a surrogate pair, lone surrogates, NUL. */
function randomStrings(count: number, seed: number): string[] {
  const next = random(seed);
  const pieces = ['0', '1', '7', '9', 'A', 'b', 'z', ' ', '-', 'é', 'É', '€', 'ß', '𝄞', '\uD800', '\uDC00', '\0', '中'];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const len = Math.floor(next() ** 2 * 81);
    let s = '';
    while (s.length < len) s += pieces[Math.floor(next() * (next() < 0.8 ? 10 : pieces.length))]!;
    out.push(s);
  }
  return out;
}

function reference(key: Buffer, values: readonly (string | Uint8Array)[]): string[] {
  return values.map((v) => crypto.createHmac('sha256', key).update(v).digest('hex'));
}

/** The 100,000-string case, its expected MACs computed once for the three engines. */
const manyStrings = randomStrings(100_000, 42);
const manyKeys = [crypto.randomBytes(32), crypto.randomBytes(131)];
let manyExpected: string[][] | undefined;

describe.each(engines)('batch HMAC-SHA-256, %s engine', (_name, engine) => {
  // The native engine is built by `npm ci`; on a machine without a compiler only the pure-Node
  // engines run here; under CI=true the native engine's tests always run (and fail if it is missing).
  const skip = !engine && nativeMissing;

  it.skipIf(skip)('DP-02: gives the RFC 4231 test vectors, packed and as hex strings', () => {
    const e = engine!;
    for (const v of rfc4231) {
      const mac = hmacSha256Packed(v.key, v.data, v.data.length, { engine: e }).toString('hex');
      expect(mac.slice(0, v.mac.length)).toBe(v.mac);
      const hex = hmacSha256Packed(v.key, v.data, new Uint32Array([0, v.data.length]), { engine: e, hex: true }).toString('latin1');
      expect(hex.slice(0, v.mac.length)).toBe(v.mac);
    }
    expect(hmacSha256Hex(Buffer.alloc(20, 0x0b), ['Hi There'], { engine: e })).toEqual([rfc4231[0]!.mac]);
  });

  it.skipIf(skip)('DP-02: equals createHmac on 100,000 random strings (empty, non-ASCII, lone surrogates) under 32- and 131-byte keys', () => {
    const values = manyStrings;
    expect(values.filter((v) => v === '').length).toBeGreaterThan(100);
    expect(values.some((v) => Buffer.byteLength(v) > 55)).toBe(true);
    expect(values.some((v) => /[\uD800-\uDFFF]/.test(v))).toBe(true);
    manyExpected ??= manyKeys.map((key) => reference(key, values));
    manyKeys.forEach((key, i) => expect(hmacSha256Hex(key, values, { engine: engine! })).toEqual(manyExpected![i]));
  });

  it.skipIf(skip)('DP-02: fixed-width NIR-like values, packed raw and hex, sync and async on two threads', async () => {
    const key = crypto.randomBytes(32);
    const n = 70_000; // above two threads' minimum share, so the split really happens
    const next = random(7);
    const nirs = Array.from({ length: n }, () => String(1e12 + Math.floor(next() * 9e12)).slice(0, 13));
    const data = Buffer.from(nirs.join(''), 'latin1');
    const expected = reference(key, nirs);
    const raw = hmacSha256Packed(key, data, 13, { engine: engine! });
    expect(raw.length).toBe(n * 32);
    expect(splitHex(Buffer.from(raw.toString('hex'), 'latin1'))).toEqual(expected);
    expect(splitHex(await hmacSha256PackedAsync(key, data, 13, { engine: engine!, hex: true, threads: 2 }))).toEqual(expected);
    expect(splitHex(hmacSha256Packed(key, data, 13, { engine: engine!, hex: true, threads: 2 }))).toEqual(expected);
  });

  it.skipIf(skip)('handles empty batches, empty values and refuses layouts that point outside the data', async () => {
    const key = crypto.randomBytes(32);
    expect(hmacSha256Packed(key, Buffer.alloc(0), new Uint32Array([0]), { engine: engine! }).length).toBe(0);
    expect((await hmacSha256PackedAsync(key, Buffer.alloc(0), new Uint32Array([0]), { engine: engine! })).length).toBe(0);
    expect(hmacSha256Hex(key, [], { engine: engine! })).toEqual([]);
    const empties = hmacSha256Packed(key, Buffer.alloc(0), new Uint32Array([0, 0, 0]), { engine: engine!, hex: true });
    expect(splitHex(empties)).toEqual(reference(key, ['', '']));
    expect(() => hmacSha256Packed(key, Buffer.from('abc'), new Uint32Array([0, 4]), { engine: engine! })).toThrow(/past the end/);
    expect(() => hmacSha256Packed(key, Buffer.from('abc'), new Uint32Array([2, 1]), { engine: engine! })).toThrow(/decrease/);
    expect(() => hmacSha256Packed(key, Buffer.from('abcd'), 3, { engine: engine! })).toThrow(/multiple of width/);
  });

  it.skipIf(skip)('writes chunks into one reused buffer, and refuses one too small or overlapping the data', () => {
    const key = crypto.randomBytes(32);
    const data = Buffer.from(Array.from({ length: 1000 }, (_, i) => String(1_840_000_000_000 + i)).join(''), 'latin1');
    const whole = hmacSha256Packed(key, data, 13, { engine: engine!, hex: true });
    const out = Buffer.alloc(256 * 64);
    const chunks: string[] = [];
    for (let from = 0; from < 1000; from += 256) {
      const chunk = data.subarray(from * 13, Math.min(1000, from + 256) * 13);
      const view = hmacSha256Packed(key, chunk, 13, { engine: engine!, hex: true, out });
      expect(view.buffer).toBe(out.buffer);
      chunks.push(view.toString('latin1'));
    }
    expect(chunks.join('')).toBe(whole.toString('latin1'));
    expect(() => hmacSha256Packed(key, data, 13, { engine: engine!, out: Buffer.alloc(1000 * 32 - 1) })).toThrow(/too small/);
    const shared = Buffer.alloc(13 * 4 + 32 * 4);
    expect(() => hmacSha256Packed(key, shared.subarray(0, 52), 13, { engine: engine!, out: shared.subarray(40) })).toThrow(/overlap/);
    expect(hmacSha256Packed(key, shared.subarray(0, 52), 13, { engine: engine!, out: shared.subarray(52) }).toString('hex')).toBe(hmacSha256Packed(key, Buffer.alloc(52), 13).toString('hex'));
  });

  it.skipIf(skip)('the async batch works on a copy: the caller may overwrite its buffers at once', async () => {
    const key = crypto.randomBytes(32);
    const values = randomStrings(40_000, 3);
    const expected = reference(Buffer.from(key), values);
    const { data, layout } = packUtf8(values);
    const pending = hmacSha256PackedAsync(key, data, layout, { engine: engine!, hex: true });
    data.fill(0);
    key.fill(0);
    expect(splitHex(await pending)).toEqual(expected);
  });
});

describe('engine choice', () => {
  it.skipIf(nativeMissing)('DP-02: the native engine is active when built, and gives the same bytes as the Node engine on random inputs', () => {
    expect(hmacEngineInfo().kind).toBe('native');
    const key = crypto.randomBytes(32);
    const values = randomStrings(20_000, 9);
    const { data, layout } = packUtf8(values);
    const fromNode = hmacSha256Packed(key, data, layout, { engine: node });
    expect(hmacSha256Packed(key, data, layout, { engine: native! }).equals(fromNode)).toBe(true);
    expect(hmacSha256Packed(key, data, layout, { engine: nativeOpenssl! }).equals(fromNode)).toBe(true);
    expect(hmacSha256Packed(key, data, layout).equals(fromNode)).toBe(true);
  });

  it('falls back to the Node engine, saying why, when the addon is missing or does not load', () => {
    const missing = loadNativeEngine(path.join(os.tmpdir(), 'hdh-no-such-addon.node'));
    expect(missing).toEqual({ native: null, info: { kind: 'node', detail: expect.stringMatching(/not built/) } });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-hmac-'));
    try {
      const broken = path.join(dir, 'hmac_native.node');
      fs.writeFileSync(broken, 'not a shared object');
      const failed = loadNativeEngine(broken);
      expect(failed.native).toBeNull();
      expect(failed.info.detail).toMatch(/native addon unavailable: .*(invalid ELF header|too short|file)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('packs strings as createHmac encodes them: a lone surrogate is not joined with the next value', () => {
    const values = ['\uD83D', '\uDE00', '😀', 'é', ''];
    const { data, layout } = packUtf8(values);
    expect(layout).toBeInstanceOf(Uint32Array);
    const offsets = layout as Uint32Array;
    values.forEach((v, i) => expect(data.subarray(offsets[i], offsets[i + 1]).equals(Buffer.from(v, 'utf8'))).toBe(true));
    expect(packUtf8(['1841275123456', '2950533063001']).layout).toBe(13);
    expect(packUtf8(['184', '29']).layout).toEqual(new Uint32Array([0, 3, 5]));
  });

  it('DP-02: a pseudonymiser gives the same pseudonyms through pseudonymise, pseudonymisePacked and its async form', async () => {
    const ring = new PseudonymKeyRing([{ id: 'k', version: 1, key: crypto.randomBytes(32).toString('base64') }], () => undefined);
    const p = await ring.open('test', 'tester');
    const nirs = ['1841275123456', '2950533063001', '1840399123456'];
    const hex = p.pseudonymise(nirs);
    const data = Buffer.from(nirs.join(''), 'latin1');
    expect(splitHex(p.pseudonymisePacked(data, 13, { hex: true }))).toEqual(hex);
    expect(p.pseudonymisePacked(data, 13).toString('hex')).toBe(hex.join(''));
    expect(splitHex(await p.pseudonymisePackedAsync(data, new Uint32Array([0, 13, 26, 39]), { hex: true, threads: 2 }))).toEqual(hex);
  });
});
