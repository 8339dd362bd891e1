/**
 * `hdh ingest` as an operator runs it, including the worst case: the process killed (-9) in the
 * middle of a load. The previous release must stay readable and a rerun must succeed (issue #6).
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lake } from '../../src/platform/lake/lake.js';
import { DuckDbEngine } from '../../src/platform/engine/duckdb.js';
import { beneficiariesCsv } from '../support/ingest.js';

const run = promisify(execFile);
const bin = path.resolve('bin/hdh.mjs');

async function hdh(args: string[], env: Record<string, string>) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env: { ...process.env, HDH_LOG_LEVEL: 'silent', ...env }, timeout: 180_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function rowsOf(lake: Lake, version: number): Promise<number> {
  const manifest = lake.readManifest('ingest-ir-ben-r', version)!;
  const s = await new DuckDbEngine().open();
  try {
    const files = lake.tableFiles(manifest, 'IR_BEN_R')!.map((f) => `'${f}'`).join(', ');
    return Number((await s.query(`SELECT count(*)::INTEGER AS n FROM read_parquet([${files}])`))[0]!.n);
  } finally {
    await s.close();
  }
}

describe('hdh ingest', { timeout: 300_000 }, () => {
  let dataDir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-cli-ingest-'));
    env = { HDH_DATA_DIR: dataDir };
    const imported = await hdh(['catalog', 'import', path.resolve('data/demo-catalogue')], env);
    expect(imported.code, imported.stderr).toBe(0);
  }, 120_000);
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('DP-01: loads and publishes a file; the output names no NIR; a malformed file exits 1 with file:line: column: rule', async () => {
    const { csv, nirs } = beneficiariesCsv(500, 3);
    const file = path.join(dataDir, 'ir_ben_r.csv');
    fs.writeFileSync(file, csv);
    const ok = await hdh(['ingest', 'IR_BEN_R', file], env);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('500 rows read, 500 valid, 0 rejected; 500 distinct NIRs pseudonymised');
    expect(ok.stdout).toContain('Published release ingest-ir-ben-r v1: 500 rows.');
    for (const n of nirs.slice(0, 20)) expect(ok.stdout + ok.stderr).not.toContain(n.slice(0, 13));

    const lines = csv.trimEnd().split('\n');
    lines[2] = lines[2]!.replace(';075;', ';ZZZ;');
    const bad = path.join(dataDir, 'bad.csv');
    fs.writeFileSync(bad, lines.join('\n'));
    const rejected = await hdh(['ingest', 'IR_BEN_R', bad], env);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain(`${bad}:3: BEN_RES_DPT: nomenclature (ZZZ)`);
    expect(rejected.stderr).toContain('nothing was published');
    expect(new Lake(path.join(dataDir, 'lake')).listReleases('ingest-ir-ben-r')).toHaveLength(1);
  });

  it('kill -9 during a load leaves the previous release intact, and a rerun succeeds', async () => {
    const lake = new Lake(path.join(dataDir, 'lake'));
    if (lake.listReleases('ingest-ir-ben-r').length === 0) {
      const first = path.join(dataDir, 'first.csv');
      fs.writeFileSync(first, beneficiariesCsv(100, 4).csv);
      expect((await hdh(['ingest', 'IR_BEN_R', first], env)).code).toBe(0);
    }
    const before = lake.listReleases('ingest-ir-ben-r');
    const rowsBefore = await rowsOf(lake, before.at(-1)!.version);
    const big = path.join(dataDir, 'big.csv');
    fs.writeFileSync(big, beneficiariesCsv(200_000, 9).csv);

    for (const killAt of ['… read', 'pseudonymise']) {
      const child = spawn(process.execPath, [bin, 'ingest', '--mode', 'append', 'IR_BEN_R', big], { env: { ...process.env, HDH_LOG_LEVEL: 'silent', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      const killed = await new Promise<boolean>((resolve) => {
        const onData = (d: Buffer) => {
          out += d.toString();
          if (out.includes(killAt)) {
            child.kill('SIGKILL');
            resolve(true);
          }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.on('exit', () => resolve(false));
      });
      await new Promise((r) => child.once('exit', r).once('close', r));
      expect(killed, `the load ended before "${killAt}": ${out}`).toBe(true);
      // The previous release is whole and readable; no half release appeared.
      const after = lake.listReleases('ingest-ir-ben-r');
      expect(after.map((m) => m.version)).toEqual(before.map((m) => m.version));
      expect(await rowsOf(lake, after.at(-1)!.version)).toBe(rowsBefore);
    }

    const rerun = await hdh(['ingest', '--mode', 'append', 'IR_BEN_R', big], env);
    expect(rerun.code, rerun.stderr).toBe(0);
    const now = lake.listReleases('ingest-ir-ben-r');
    expect(now).toHaveLength(before.length + 1);
    expect(await rowsOf(lake, now.at(-1)!.version)).toBe(rowsBefore + 200_000);
  });
});
