/**
 * Pseudonymisation of distinct NIRs (issue 6): HMAC-SHA-256 of 13-character NIR-like values.
 * Baseline in the same run: `openssl speed -hmac sha256 -bytes 16 -seconds 3` (one core, ops per
 * CPU second, as openssl counts them); also Node's per-value `createHmac`. Single-thread rates are
 * values per CPU second of this process (user + system), the same clock as openssl's, so the
 * ratio holds on a machine shared with other work; wall-clock rates are in the notes.
 */
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { hmacEngineInfo, hmacEngines, hmacSha256Packed, type HmacEngine } from '../src/platform/crypto/hmac-batch.js';
import { PseudonymKeyRing, type Pseudonymiser } from '../src/platform/crypto/pseudonym.js';
import { median, type Benchmark, type BenchRow } from './harness.js';

const run = promisify(execFile);

/** HMAC-SHA-256 operations per second from `openssl speed -mr` (its +F line is bytes per second). */
async function opensslHmacPerSecond(elapsed: boolean): Promise<number> {
  const args = ['speed', ...(elapsed ? ['-elapsed'] : []), '-mr', '-hmac', 'sha256', '-bytes', '16', '-seconds', '3'];
  const { stdout } = await run('openssl', args);
  const match = /^\+F:\d+:hmac\(sha256\):([\d.]+)/m.exec(stdout);
  if (!match) throw new Error(`unexpected output of openssl ${args.join(' ')}: ${stdout}`);
  return Number(match[1]) / 16;
}

/** n distinct 13-digit NIR-like values (sex 1/2, then 12 digits), packed at a fixed width. */
function nirLike(n: number): Buffer {
  const data = Buffer.allocUnsafe(n * 13);
  for (let i = 0; i < n; i++) {
    const rest = String((i * 7919 + 123_456_789) % 1e12).padStart(12, '0');
    data.write(`${1 + (i % 2)}${rest}`, i * 13, 'latin1');
  }
  return data;
}

function strings(data: Buffer): string[] {
  const n = data.length / 13;
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = data.toString('latin1', i * 13, i * 13 + 13);
  return out;
}

interface Rate {
  cpu: number;
  wall: number;
}

/** Values per CPU second and per wall second of one call; the median of `repeats` calls. */
async function measure(n: number, repeats: number, work: () => unknown): Promise<Rate> {
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const usage = process.cpuUsage();
    const started = performance.now();
    await work();
    const wallS = (performance.now() - started) / 1000;
    const used = process.cpuUsage(usage);
    cpu.push(n / ((used.user + used.system) / 1e6));
    wall.push(n / wallS);
  }
  return { cpu: median(cpu), wall: median(wall) };
}

/** A sample of outputs checked against createHmac, so a fast wrong answer cannot be reported. */
function check(key: Buffer, data: Buffer, hex: Buffer | string[]): void {
  const n = data.length / 13;
  for (let i = 0; i < n; i += Math.max(1, Math.floor(n / 997))) {
    const expected = crypto.createHmac('sha256', key).update(data.subarray(i * 13, i * 13 + 13)).digest('hex');
    const got = Array.isArray(hex) ? hex[i] : hex.toString('latin1', i * 64, i * 64 + 64);
    if (got !== expected) throw new Error(`pseudonym ${i} differs from createHmac`);
  }
}

const M = 1e6;

export const pseudonymBenchmark: Benchmark = {
  name: 'pseudonym',
  title: 'Pseudonymisation of distinct NIRs (HMAC-SHA-256)',
  description:
    'HMAC-SHA-256 of distinct 13-character NIR-like values under a 32-byte key, output as the 64-character hex the pseudonymise API returns. Baseline: `openssl speed -hmac sha256 -bytes 16 -seconds 3` on one core of the same machine, in the same run (goal: ratio ≥ 1, about 10 × Node\'s per-value `createHmac`). Rates are values per CPU second of the process (openssl counts CPU time too), median of 3 runs at 1 M, one run at 10 M; wall-clock rates in the notes (the machine is shared). "packed" is `pseudonymisePacked(buffer, 13, { hex: true })` (a Buffer of hex in, no JavaScript string per value); "strings" is `pseudonymise(string[])` → `string[]`, whose cost is mostly creating and keeping the JavaScript strings.',
  async run() {
    const large = Number(process.env.HDH_BENCH_PSEUDONYMS ?? 10_000_000);
    const info = hmacEngineInfo();
    const key = crypto.randomBytes(32);
    const ring = new PseudonymKeyRing([{ id: 'bench', version: 1, key: key.toString('base64') }], () => undefined);
    const p: Pseudonymiser = await ring.open('bench', 'system:bench');

    // openssl runs before and after our measurements; the baseline is their mean (the load of the shared machine drifts).
    const opensslRuns = [(await opensslHmacPerSecond(false)) / M];
    const opensslWall = { label: 'openssl speed, 1 core (wall)', value: (await opensslHmacPerSecond(true)) / M };
    const openssl = { label: 'openssl speed, 1 core (CPU time)', value: opensslRuns[0]! };
    const rows: BenchRow[] = [];
    const row = (metric: string, rate: Rate, node: Rate | null, note = ''): BenchRow => ({
      metric,
      value: rate.cpu / M,
      unit: 'M/s',
      baseline: openssl,
      note: [`wall ${(rate.wall / M).toFixed(2)} M/s`, node ? `${(rate.cpu / node.cpu).toFixed(1)}× createHmac` : '', note].filter(Boolean).join('; '),
    });

    // Bulk callers stream: chunks of 65,536 values hashed into one reused output buffer.
    const chunk = 65_536;
    const reused = Buffer.allocUnsafe(chunk * 64);
    const chunked = (data: Buffer, hex: boolean, engine?: HmacEngine) => () => {
      const n = data.length / 13;
      for (let from = 0; from < n; from += chunk) {
        const part = data.subarray(from * 13, Math.min(n, from + chunk) * 13);
        const macs = engine ? hmacSha256Packed(key, part, 13, { hex, out: reused, engine }) : p.pseudonymisePacked(part, 13, { hex, out: reused });
        if (hex && from === 0) check(key, part, macs);
      }
    };
    const streamed = `chunks of ${chunk.toLocaleString('en-US')} into one reused buffer`;

    const million = nirLike(1_000_000);
    const packed = await measure(1_000_000, 3, chunked(million, true));
    const raw = await measure(1_000_000, 3, chunked(million, false));
    const opensslCore = hmacEngines().nativeOpenssl;
    const opensslOnly = opensslCore ? await measure(1_000_000, 3, chunked(million, true, opensslCore)) : null;
    const millionStrings = strings(million);
    const node = await measure(1_000_000, 3, () => millionStrings.map((v) => crypto.createHmac('sha256', key).update(v, 'utf8').digest('hex')));
    rows.push(row('Node createHmac per value, strings, 1 M', node, null, 'the previous implementation'));
    rows.push(row(`batch, packed → hex, 1 M, ${streamed}`, packed, node, info.detail));
    rows.push(row(`batch, packed → 32-byte MACs, 1 M, ${streamed}`, raw, node));
    if (opensslOnly) rows.push(row('batch, OpenSSL core only (no SHA-NI), packed → hex, 1 M', opensslOnly, node, 'precomputed ipad/opad SHA256_CTX copied per value'));
    let out = p.pseudonymise(millionStrings);
    check(key, million, out);
    rows.push(row('batch, strings → hex strings, 1 M', await measure(1_000_000, 3, () => (out = p.pseudonymise(millionStrings))), node, 'mostly the cost of making and keeping 1 M JavaScript strings'));
    out = [];
    millionStrings.length = 0;

    const big = nirLike(large);
    const bigLabel = `${large / M} M`;
    rows.push(row(`batch, packed → hex, ${bigLabel}, ${streamed}`, await measure(large, 1, chunked(big, true)), node, 'how a streaming ingest calls it'));
    let hex: Buffer = Buffer.alloc(0);
    const oneCall = await measure(large, 1, () => (hex = p.pseudonymisePacked(big, 13, { hex: true })));
    check(key, big, hex);
    hex = Buffer.alloc(0);
    rows.push(row(`batch, packed → hex, ${bigLabel}, one call`, oneCall, node, `into a fresh ${Math.round((large * 64) / 2 ** 20)} MiB buffer: its page faults count`));
    const two = await measure(large, 1, async () => (hex = await p.pseudonymisePackedAsync(big, 13, { hex: true, threads: 2 })));
    check(key, big, hex);
    hex = Buffer.alloc(0);
    rows.push({ metric: `batch async, 2 threads, packed → hex, ${bigLabel}, one call (wall)`, value: two.wall / M, unit: 'M/s', baseline: opensslWall, note: "wall clock against openssl's wall clock: both depend on the load of the shared machine" });
    let bigStrings = strings(big);
    const stringsRate = await measure(large, 1, () => (out = p.pseudonymise(bigStrings)));
    check(key, big, out);
    out = [];
    bigStrings = [];
    rows.push(row(`batch, strings → hex strings, ${bigLabel}`, stringsRate, node));

    opensslRuns.push((await opensslHmacPerSecond(false)) / M);
    openssl.value = (opensslRuns[0]! + opensslRuns[1]!) / 2;
    rows.unshift({ metric: '`openssl speed -hmac sha256 -bytes 16 -seconds 3`', value: openssl.value, unit: 'M/s', note: `mean of a run before (${opensslRuns[0]!.toFixed(2)}) and after (${opensslRuns[1]!.toFixed(2)}); wall ${opensslWall.value.toFixed(2)} M/s` });
    return rows;
  },
};
