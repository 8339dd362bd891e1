/**
 * `hdh link` as an operator runs it: a synthetic truth set, a probabilistic run on its files with
 * precision/recall/F1 against the truth, the runs list and a report, a deterministic run with a
 * bad argument refused — and nothing printed names a NIR (DP-01).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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

describe('hdh link', { timeout: 300_000 }, () => {
  let dataDir: string;
  let env: Record<string, string>;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-cli-link-'));
    env = { HDH_DATA_DIR: dataDir, HDH_DEMO: 'true' };
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('LOG-01: truth set, probabilistic run with P/R/F1, runs, report; no NIR in the output', async () => {
    const set = path.join(dataDir, 'truth');
    const written = await hdh(['link', 'truth-set', '--out', set, '--reference-people', '1500', '--source-records', '1000', '--seed', '3'], env);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toContain('(800 true links)');
    const probabilistic = await hdh(['link', 'probabilistic', '--reference', path.join(set, 'reference.csv'), '--source', path.join(set, 'source.csv'), '--output', 'linkage-cli', '--truth', path.join(set, 'truth.csv')], env);
    expect(probabilistic.code, probabilistic.stderr).toBe(0);
    expect(probabilistic.stdout).toMatch(/succeeded/);
    expect(probabilistic.stdout).toContain('release linkage-cli v1 (table LINKAGE)');
    const f1 = Number(/F1 (0\.\d+)/.exec(probabilistic.stdout)?.[1]);
    expect(f1).toBeGreaterThan(0.95);
    const id = /Run ([0-9a-f-]{36})/.exec(probabilistic.stdout)![1]!;
    const runs = await hdh(['link', 'runs'], env);
    expect(runs.stdout).toContain(id);
    const report = await hdh(['link', 'report', id, '--json'], env);
    expect(JSON.parse(report.stdout)).toMatchObject({ id, status: 'succeeded', report: { kind: 'probabilistic', source: { records: 1000 } } });
    const nirs = fs.readFileSync(path.join(set, 'truth.csv'), 'utf8').trim().split('\n').slice(1, 50).map((l) => l.split(',')[1]!.slice(0, 13));
    for (const out of [probabilistic, runs, report]) for (const n of nirs) expect(out.stdout + out.stderr).not.toContain(n);

    const bad = await hdh(['link', 'deterministic', 'nope', 'snds-synthetic@1:ER_PRS_F'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('release@version:TABLE[.COLUMN]');
  });
});
