/**
 * Batch HMAC-SHA-256 for pseudonyms (DP-02): many values under one key, packed in one buffer.
 *
 * Two engines give byte-identical results:
 * - `native`: the addon in ./hmac-native (built by `npm ci` through scripts/build-native.mjs).
 *   The key's inner and outer SHA-256 states are computed once per batch; short values (≤ 55
 *   bytes, a NIR is 13) are hashed four at a time with the CPU's SHA extensions when present,
 *   longer ones with the OpenSSL that Node itself links. It is used only if it loads, reports
 *   the expected ABI and agrees with `crypto.createHmac` on the RFC 4231 vectors and on values
 *   of every length from 0 to 130 bytes (both of its cores).
 * - `node`: `crypto.createHmac` per value, the reference, used when the addon is absent.
 *
 * Which engine is active is logged once with `NODE_DEBUG=hdh-crypto` and returned by
 * `hmacEngineInfo()`.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { debuglog } from 'node:util';

/** How packed values are laid out: byte offsets (n + 1 entries, value i is data[offsets[i], offsets[i+1])) or a fixed width. */
export type PackedLayout = Uint32Array | number;

export interface HmacBatchOptions {
  /** 64 lowercase hex characters (ASCII) per value instead of the 32-byte MAC. */
  hex?: boolean;
  /** Threads for one batch (native engine; small batches always use one). Default 1. */
  threads?: number;
  /**
   * Sync only: write into this buffer (at least n × 32 or n × 64 bytes, not overlapping data)
   * and return a view of it. Reusing one buffer across chunks saves faulting in fresh pages.
   */
  out?: Uint8Array;
  /** The engine to use; defaults to the active one. Tests pass each engine explicitly. */
  engine?: HmacEngine;
}

/** One implementation of the batch, with the addon's calling convention. */
export interface HmacEngine {
  readonly kind: 'native' | 'node';
  run(key: Uint8Array, data: Uint8Array, offsets: Uint32Array | null, width: number, flags: number, threads: number, out?: Uint8Array): Uint8Array;
  runAsync(key: Uint8Array, data: Uint8Array, offsets: Uint32Array | null, width: number, flags: number, threads: number): Promise<Buffer>;
}

/** Flags shared with hmac_core.h. */
const OUT_HEX = 1;
/** Native only: skip the SHA extensions (tests compare both native cores with Node). */
const CORE_OPENSSL = 2;
/** Must equal HDH_HMAC_ABI in hmac_native.c. */
const NATIVE_ABI = 2;

const log = debuglog('hdh-crypto');

function checkLayout(data: Uint8Array, layout: PackedLayout): { offsets: Uint32Array | null; width: number; n: number } {
  if (typeof layout === 'number') {
    if (!Number.isInteger(layout) || layout < 1 || data.length % layout !== 0) throw new RangeError(`data length ${data.length} is not a multiple of width ${layout}`);
    return { offsets: null, width: layout, n: data.length / layout };
  }
  if (layout.length < 1) throw new RangeError('offsets must have n + 1 entries');
  return { offsets: layout, width: 0, n: layout.length - 1 };
}

/** The reference: `crypto.createHmac` per value. Async work is cut into slices so the event loop keeps turning. */
export const nodeEngine: HmacEngine = {
  kind: 'node',
  run(key, data, offsets, width, flags, _threads, out) {
    const result = nodeRange(key, data, offsets, width, flags, 0, Infinity);
    if (!out) return result;
    if (out.length < result.length) throw new RangeError('out is too small for the batch');
    out.set(result);
    return out;
  },
  async runAsync(key, data, offsets, width, flags) {
    const n = offsets ? offsets.length - 1 : data.length / width;
    const slice = 65_536;
    const parts: Buffer[] = [Buffer.alloc(0)];
    for (let from = 0; from < n; from += slice) {
      parts.push(nodeRange(key, data, offsets, width, flags, from, from + slice));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return Buffer.concat(parts);
  },
};

function nodeRange(key: Uint8Array, data: Uint8Array, offsets: Uint32Array | null, width: number, flags: number, from: number, to: number): Buffer {
  const n = offsets ? offsets.length - 1 : data.length / width;
  const end = Math.min(n, to);
  const raw = Buffer.allocUnsafe(Math.max(0, end - from) * 32);
  for (let i = from; i < end; i++) {
    const start = offsets ? offsets[i]! : i * width;
    const stop = offsets ? offsets[i + 1]! : start + width;
    if (start > stop || stop > data.length) throw new RangeError('offsets must not decrease nor point past the end of data');
    crypto.createHmac('sha256', key).update(data.subarray(start, stop)).digest().copy(raw, (i - from) * 32);
  }
  return flags & OUT_HEX ? Buffer.from(raw.toString('hex'), 'latin1') : raw;
}

interface NativeAddon {
  abi: number;
  shaNi: boolean;
  openssl: string;
  hmac: HmacEngine['run'];
  hmacAsync: HmacEngine['runAsync'];
}

export interface HmacEngineInfo {
  kind: 'native' | 'node';
  /** What runs (`SHA-NI ×4 + OpenSSL 3.0.19`) or why the addon is not used. */
  detail: string;
}

const addonPath = fileURLToPath(new URL('./hmac-native/build/Release/hmac_native.node', import.meta.url));

/**
 * Loads and checks the addon at `file`. Never throws: on any problem the engine is `node` and
 * `info.detail` says why.
 */
export function loadNativeEngine(file: string): { native: HmacEngine | null; info: HmacEngineInfo } {
  try {
    if (!fs.existsSync(file)) throw new Error('not built (run `npm run build:native`)');
    const module = { exports: {} as Partial<NativeAddon> };
    // RTLD_NOW: an OpenSSL symbol missing from this node binary fails here, not at the first call.
    process.dlopen(module, file, os.constants.dlopen.RTLD_NOW);
    const addon = module.exports;
    if (addon.abi !== NATIVE_ABI || typeof addon.hmac !== 'function' || typeof addon.hmacAsync !== 'function') {
      throw new Error(`stale build (ABI ${String(addon.abi)}, expected ${NATIVE_ABI}; run \`npm run build:native\`)`);
    }
    const native: HmacEngine = { kind: 'native', run: addon.hmac.bind(addon), runAsync: addon.hmacAsync.bind(addon) };
    const problem = selfTest(native);
    if (problem) throw new Error(`self-test failed: ${problem}`);
    return { native, info: { kind: 'native', detail: `${addon.shaNi ? 'SHA-NI ×4 for values ≤ 55 bytes, ' : ''}${addon.openssl ?? 'OpenSSL'}` } };
  } catch (err) {
    return { native: null, info: { kind: 'node', detail: `native addon unavailable: ${err instanceof Error ? err.message : String(err)}` } };
  }
}

let loaded: { native: HmacEngine | null; info: HmacEngineInfo } | undefined;

function load(): { native: HmacEngine | null; info: HmacEngineInfo } {
  if (!loaded) {
    loaded = loadNativeEngine(addonPath);
    log('pseudonym HMAC engine: %s (%s)', loaded.info.kind, loaded.info.detail);
  }
  return loaded;
}

/** RFC 4231 cases 1, 2, 6 and 7, plus every length 0..130 under a 32-byte key, on both native cores. */
function selfTest(engine: HmacEngine): string | null {
  const cases: [Buffer, Buffer][] = [
    [Buffer.alloc(20, 0x0b), Buffer.from('Hi There')],
    [Buffer.from('Jefe'), Buffer.from('what do ya want for nothing?')],
    [Buffer.alloc(131, 0xaa), Buffer.from('Test Using Larger Than Block-Size Key - Hash Key First')],
    [Buffer.alloc(131, 0xaa), Buffer.from('This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.')],
  ];
  const key = crypto.createHash('sha256').update('hdh self-test').digest();
  const lengths = Array.from({ length: 131 }, (_, i) => i);
  const data = Buffer.alloc(lengths.reduce((a, b) => a + b, 0));
  for (let i = 0; i < data.length; i++) data[i] = (i * 131 + 7) & 0xff;
  const offsets = new Uint32Array(lengths.length + 1);
  lengths.forEach((len, i) => (offsets[i + 1] = offsets[i]! + len));
  for (const flags of [0, CORE_OPENSSL]) {
    for (const [k, message] of cases) {
      if (Buffer.compare(engine.run(k, message, null, message.length, flags, 1), nodeEngine.run(k, message, null, message.length, 0, 1)) !== 0) return `RFC 4231 vector differs (flags ${flags})`;
    }
    if (Buffer.compare(engine.run(key, data, offsets, 0, flags | OUT_HEX, 1), nodeEngine.run(key, data, offsets, 0, OUT_HEX, 1)) !== 0) return `lengths 0..130 differ (flags ${flags})`;
  }
  return null;
}

/**
 * The engines this process can use: `node` always; `native` when the addon loaded and passed its
 * self-test, and `nativeOpenssl`, the same addon kept off the SHA extensions (for tests and benchmarks).
 */
export function hmacEngines(): { node: HmacEngine; native: HmacEngine | null; nativeOpenssl: HmacEngine | null } {
  const { native } = load();
  const nativeOpenssl: HmacEngine | null = native && {
    kind: 'native',
    run: (key, data, offsets, width, flags, threads, out) => native.run(key, data, offsets, width, flags | CORE_OPENSSL, threads, out),
    runAsync: (key, data, offsets, width, flags, threads) => native.runAsync(key, data, offsets, width, flags | CORE_OPENSSL, threads),
  };
  return { node: nodeEngine, native, nativeOpenssl };
}

/** Which engine `hmacSha256*` use by default, and why. */
export function hmacEngineInfo(): HmacEngineInfo {
  return { ...load().info };
}

function defaultEngine(): HmacEngine {
  return load().native ?? nodeEngine;
}

/** HMAC-SHA-256 of each packed value: n × 32 bytes, or n × 64 hex characters with `hex`. */
export function hmacSha256Packed(key: Uint8Array, data: Uint8Array, layout: PackedLayout, options: HmacBatchOptions = {}): Buffer {
  const { offsets, width, n } = checkLayout(data, layout);
  const size = n * (options.hex ? 64 : 32);
  const out = options.out;
  if (out) {
    if (out.length < size) throw new RangeError(`out is too small for the batch (${out.length} < ${size} bytes)`);
    const overlaps = out.buffer === data.buffer && out.byteOffset < data.byteOffset + data.length && data.byteOffset < out.byteOffset + out.length;
    if (overlaps) throw new RangeError('out must not overlap data');
  }
  const result = (options.engine ?? defaultEngine()).run(key, data, offsets, width, options.hex ? OUT_HEX : 0, options.threads ?? 1, options.out);
  return Buffer.isBuffer(result) && !options.out ? result : Buffer.from(result.buffer, result.byteOffset, size);
}

/** Same as `hmacSha256Packed`, off the JavaScript thread (the native engine copies its inputs first). */
export async function hmacSha256PackedAsync(key: Uint8Array, data: Uint8Array, layout: PackedLayout, options: Omit<HmacBatchOptions, 'out'> = {}): Promise<Buffer> {
  const { offsets, width } = checkLayout(data, layout);
  return (options.engine ?? defaultEngine()).runAsync(key, data, offsets, width, options.hex ? OUT_HEX : 0, options.threads ?? 1);
}

/**
 * Strings as UTF-8, packed, exactly as `createHmac().update(value, 'utf8')` encodes each one
 * (a lone surrogate becomes U+FFFD). All-ASCII input of one length gets a fixed width.
 */
export function packUtf8(values: readonly string[]): { data: Buffer; layout: PackedLayout } {
  const n = values.length;
  const joined = values.join('');
  // Only an all-ASCII string has as many UTF-8 bytes as UTF-16 units.
  if (Buffer.byteLength(joined, 'utf8') === joined.length) {
    const data = Buffer.from(joined, 'latin1');
    const width = n ? values[0]!.length : 0;
    let fixed = width > 0;
    const offsets = new Uint32Array(n + 1);
    for (let i = 0, at = 0; i < n; i++) {
      const len = values[i]!.length;
      if (len !== width) fixed = false;
      at += len;
      offsets[i + 1] = at;
    }
    return { data, layout: fixed ? width : offsets };
  }
  // Encoded one by one: joined, a lone high surrogate could pair with the next value's low one.
  const offsets = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + Buffer.byteLength(values[i]!, 'utf8');
  const data = Buffer.allocUnsafe(offsets[n]!);
  for (let i = 0; i < n; i++) data.write(values[i]!, offsets[i]!, 'utf8');
  return { data, layout: offsets };
}

/**
 * Splits n × 64 hex characters into n strings. Each string is a slice of a string made for 4,096
 * values at a time: cheaper than one string per value, and a kept pseudonym pins 256 KiB at most.
 */
export function splitHex(hex: Buffer): string[] {
  const n = hex.length / 64;
  const out = new Array<string>(n);
  const chunk = 4096;
  for (let from = 0; from < n; from += chunk) {
    const to = Math.min(n, from + chunk);
    const text = hex.toString('latin1', from * 64, to * 64);
    for (let i = from; i < to; i++) out[i] = text.substring((i - from) * 64, (i - from + 1) * 64);
  }
  return out;
}

/** HMAC-SHA-256 of each string (UTF-8) as lowercase hex: the pseudonymise API. */
export function hmacSha256Hex(key: Uint8Array, values: readonly string[], options: Omit<HmacBatchOptions, 'hex'> = {}): string[] {
  const engine = options.engine ?? defaultEngine();
  if (engine.kind === 'node') {
    // No packing for the reference: it hashes each string as it is.
    return values.map((v) => crypto.createHmac('sha256', key).update(v, 'utf8').digest('hex'));
  }
  if (values.length === 0) return [];
  const { data, layout } = packUtf8(values);
  return splitHex(hmacSha256Packed(key, data, layout, { ...options, engine, hex: true }));
}
