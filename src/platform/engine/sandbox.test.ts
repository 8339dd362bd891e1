import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbEngine } from './duckdb.js';
import { SandboxError, SandboxProcess, type SandboxOptions } from './sandbox.js';

describe('sandboxed engine process', () => {
  let dir: string;
  let options: SandboxOptions;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-sandbox-'));
    for (const d of ['extract/T', 'scratch/tmp', 'elsewhere']) fs.mkdirSync(path.join(dir, d), { recursive: true });
    const s = await new DuckDbEngine().open();
    await s.run(`COPY (SELECT range AS id, 'v' || range AS v FROM range(200000)) TO '${dir}/extract/T/part-0.parquet' (FORMAT parquet)`);
    await s.run(`COPY (SELECT 42 AS secret) TO '${dir}/elsewhere/o.parquet' (FORMAT parquet)`);
    await s.close();
    options = {
      databasePath: path.join(dir, 'scratch', 'scratch.duckdb'), memoryLimit: '256MB', threads: 1, tempDirectory: path.join(dir, 'scratch', 'tmp'), maxTempDirectorySize: '1GB', homeDirectory: path.join(dir, 'scratch', 'home'),
      connections: 2, allowedDirectories: [path.join(dir, 'extract')], setup: [], taggedViews: { tag: 'hdh:extract', views: [{ name: 'T', sql: `SELECT * FROM read_parquet('${dir}/extract/T/*.parquet')` }] },
    };
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs queries over the views, caps the rows it returns, keeps scratch tables between sessions', async () => {
    const sb = await SandboxProcess.start(options);
    try {
      const r = await sb.run('SELECT id, v, id * 1.5 AS d FROM T ORDER BY id', { maxRows: 10, timeoutMs: 10_000 }).result;
      expect(r.columns).toEqual([{ name: 'id', type: 'BIGINT' }, { name: 'v', type: 'VARCHAR' }, { name: 'd', type: 'DECIMAL(21,1)' }]);
      expect(r.rows).toHaveLength(10);
      expect(r.rows[3]).toEqual([3, 'v3', 4.5]);
      expect(r.truncated).toBe(true);
      const created = await sb.run('CREATE OR REPLACE TABLE mine AS SELECT * FROM T WHERE id < 7', { maxRows: 10, timeoutMs: 10_000 }).result;
      expect(created).toMatchObject({ statementType: 'CREATE', rowsChanged: 7 });
      expect((await sb.inspect('SELECT 1; SELECT 2', null)).statementCount).toBe(2);
      const tree = JSON.parse((await sb.inspect('SELECT * FROM read_csv(\'/etc/passwd\')', 'SELECT * FROM read_csv(\'/etc/passwd\')')).serialized!) as { statements: unknown[] };
      expect(JSON.stringify(tree)).toContain('"function_name":"read_csv"');
    } finally {
      await sb.close();
    }
    const again = await SandboxProcess.start(options);
    try {
      expect((await again.run('SELECT count(*) AS n FROM mine', { maxRows: 10, timeoutMs: 10_000 }).result).rows).toEqual([[7]]);
      expect(await again.objects('hdh:extract')).toEqual([
        { name: 'T', kind: 'view', tagged: true, columns: [{ name: 'id', type: 'BIGINT' }, { name: 'v', type: 'VARCHAR' }] },
        { name: 'mine', kind: 'table', tagged: false, columns: [{ name: 'id', type: 'BIGINT' }, { name: 'v', type: 'VARCHAR' }] },
      ]);
      // The engine itself refuses files outside the allowed folder and locked settings.
      await expect(again.run(`SELECT * FROM read_parquet('${dir}/elsewhere/o.parquet')`, { maxRows: 10, timeoutMs: 10_000 }).result).rejects.toThrow(/Permission Error/);
      await expect(again.run("SET memory_limit = '10GB'", { maxRows: 10, timeoutMs: 10_000 }).result).rejects.toThrow(/locked/);
      // No extension can be fetched: the extension folder is outside the allowed ones.
      await expect(again.run('INSTALL httpfs', { maxRows: 10, timeoutMs: 10_000 }).result).rejects.toThrow(/Permission Error/);
    } finally {
      await again.close();
    }
  });

  it('a query past its time limit is interrupted; the process keeps serving', async () => {
    const sb = await SandboxProcess.start(options);
    try {
      const running = sb.run('SELECT count(*) FROM range(1000000000) a, range(1000000000) b', { maxRows: 10, timeoutMs: 500 });
      await new Promise((r) => setTimeout(r, 200));
      const progress = await sb.progress(running.handle);
      expect(progress === null || (progress >= 0 && progress <= 1)).toBe(true);
      const err = await running.result.catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SandboxError);
      expect((err as SandboxError).reason).toBe('timeout');
      expect(sb.alive).toBe(true);
      expect((await sb.run('SELECT 1 AS one', { maxRows: 10, timeoutMs: 5_000 }).result).rows).toEqual([[1]]);
    } finally {
      await sb.close();
    }
  });

  it('a crash of the engine process fails its queries and nothing else', async () => {
    const sb = await SandboxProcess.start(options);
    const running = sb.run('SELECT count(*) FROM range(1000000000) a, range(1000000000) b', { maxRows: 10, timeoutMs: 60_000 });
    await new Promise((r) => setTimeout(r, 100));
    process.kill(sb.pid!, 'SIGKILL');
    const err = await running.result.catch((e: unknown) => e);
    expect((err as SandboxError).reason).toBe('crashed');
    expect(sb.alive).toBe(false);
    await expect(sb.run('SELECT 1', { maxRows: 1, timeoutMs: 1000 }).result).rejects.toMatchObject({ reason: 'closed' });
  });
});
