/**
 * Security proof of the workspace sandbox: an escape corpus, every attempt sent through the HTTP
 * API by a member of project A, every one denied — files outside (system, lake, project B, the
 * hub's secrets, symlinks planted in A's scratch and extract folders), ATTACH / COPY / EXPORT,
 * extensions, locked settings, logging and profiling, secrets, URLs, system catalogues, several
 * or very long statements, and resource exhaustion stopped by the time or memory limit with the
 * hub left healthy. A second wall is shown too: the file reads, run straight in the session's
 * engine without the statement check, are refused by DuckDB's own sandbox.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, stores, type TestClient, type TestHub } from '../../test/support/hub.js';
import { Cast, withDemoCatalogue } from '../../test/support/projects.js';
import { activeProject, runSql, syntheticLake } from '../../test/support/workspaces.js';

interface Attempt {
  name: string;
  sql: () => string;
  /** Acceptable refusal codes; by default any of the statement check's. */
  codes?: string[];
}

const checkCodes = ['workspace.statement_not_allowed', 'workspace.function_not_allowed', 'workspace.table_not_allowed', 'workspace.name_reserved', 'workspace.multiple_statements', 'workspace.sql_invalid', 'workspace.sql_too_long', 'workspace.sql_empty'];
const exhaustion = ['workspace.query_timeout', 'workspace.query_out_of_memory', 'workspace.query_failed'];

describe.each(stores)('escape corpus on %s', (store) => {
  let t: TestHub;
  let cast: Cast;
  let attacker: TestClient;
  let a: { id: string };
  let b: { id: string };
  const paths: Record<string, string> = {};
  const before = new Map<string, string[]>();

  const listing = (dir: string): string[] => (fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).map(String).sort() : []);

  beforeAll(async () => {
    t = await startTestHub(store, { HDH_WORKSPACE_QUERY_TIMEOUT_SECONDS: '3', HDH_WORKSPACE_MEMORY_MB: '256', HDH_WORKSPACE_THREADS: '1', HDH_WORKSPACE_MAX_SQL_CHARS: '20000', HDH_WORKSPACE_SCRATCH_GB: '1' });
    await withDemoCatalogue(t);
    cast = new Cast(t);
    await syntheticLake(t, 800);
    a = await activeProject(t, cast);
    b = await activeProject(t, cast);
    attacker = await cast.as('member');
    await runSql(attacker, a.id, 'CREATE TABLE mine AS SELECT 1 AS x');
    const lake = t.hub.services.synthetic.listReleases()[0]!;
    const ws = t.hub.config.workspacesDir;
    const scratch = path.join(ws, a.id, 'scratch', await cast.userId('member'));
    Object.assign(paths, {
      lakeFile: path.join(t.hub.config.lakeDir, 'releases', lake.name, String(lake.version), 'IR_BEN_R', 'part-00000.parquet'),
      lakeDir: path.join(t.hub.config.lakeDir, 'releases', lake.name, String(lake.version)),
      otherExtract: path.join(ws, b.id, 'extracts', 'v1', 'IR_BEN_R', 'part-00000.parquet'),
      otherDir: path.join(ws, b.id),
      ownExtract: path.join(ws, a.id, 'extracts', 'v1', 'IR_BEN_R', 'part-00000.parquet'),
      relative: `${path.join(ws, a.id, 'extracts', 'v1')}/../../../${b.id}/extracts/v1/IR_BEN_R/part-00000.parquet`,
      secrets: t.hub.secrets.file,
      scratchDb: path.join(scratch, 'scratch.duckdb'),
      linkPasswd: path.join(scratch, 'tmp', 'passwd.csv'),
      linkOther: path.join(scratch, 'tmp', 'victim'),
      linkInExtract: path.join(ws, a.id, 'extracts', 'v1', 'planted.csv'),
      canary: path.join(path.dirname(ws), 'escape-canary'),
    });
    // Symlinks planted where the engine may spill and where it reads the extract.
    fs.symlinkSync('/etc/passwd', paths.linkPasswd!);
    fs.symlinkSync(paths.otherDir!, paths.linkOther!);
    fs.symlinkSync('/etc/passwd', paths.linkInExtract!);
    for (const d of [paths.lakeDir!, paths.otherDir!, path.dirname(paths.canary!)]) before.set(d, listing(d));
  }, 300_000);
  afterAll(() => t?.close());

  const p = (k: string) => paths[k]!;
  const files = ['/etc/passwd', 'lakeFile', 'otherExtract', 'relative', 'secrets', 'linkPasswd', 'linkInExtract', 'scratchDb'] as const;
  const target = (f: (typeof files)[number]) => (f.startsWith('/') ? f : p(f));
  const readers = ['read_csv', 'read_csv_auto', 'read_parquet', 'read_text', 'read_blob', 'read_json', 'read_json_auto', 'read_ndjson', 'parquet_metadata', 'parquet_schema', 'sniff_csv'];

  const corpus: Attempt[] = [
    // Files through table functions: every reader × every target (88 attempts).
    ...readers.flatMap((fn) => files.map((f) => ({ name: `${fn}(${f})`, sql: () => `SELECT * FROM ${fn}('${target(f)}')` }))),
    // Globs and listings.
    { name: 'glob /etc', sql: () => "SELECT * FROM glob('/etc/*')" },
    { name: 'glob lake', sql: () => `SELECT * FROM glob('${p('lakeDir')}/**')` },
    { name: 'glob other project', sql: () => `SELECT * FROM glob('${p('otherDir')}/**')` },
    { name: 'glob own extract', sql: () => `SELECT * FROM glob('${path.dirname(p('ownExtract'))}/*')` },
    { name: 'glob through symlink in scratch', sql: () => `SELECT * FROM glob('${p('linkOther')}/**')` },
    // Replacement scans: a quoted path or URL as a table.
    { name: "FROM '/etc/passwd'", sql: () => "SELECT * FROM '/etc/passwd'" },
    { name: 'FROM lake parquet path', sql: () => `SELECT * FROM '${p('lakeFile')}'` },
    { name: 'FROM other project parquet', sql: () => `SELECT count(*) FROM '${p('otherExtract')}'` },
    { name: 'FROM relative path', sql: () => `SELECT * FROM '${p('relative')}'` },
    { name: 'FROM own extract file path', sql: () => `SELECT * FROM '${p('ownExtract')}'` },
    { name: 'FROM planted symlink', sql: () => `SELECT * FROM '${p('linkInExtract')}'` },
    { name: 'FROM "quoted path"', sql: () => `SELECT * FROM "${p('otherExtract')}"` },
    { name: 'FROM https URL', sql: () => "SELECT * FROM 'https://example.org/data.csv'" },
    { name: 'FROM http URL', sql: () => "SELECT * FROM 'http://169.254.169.254/latest/meta-data/'" },
    { name: 'FROM s3 URL', sql: () => "SELECT * FROM 's3://bucket/data.parquet'" },
    { name: 'read_parquet s3', sql: () => "SELECT * FROM read_parquet('s3://bucket/x.parquet')" },
    { name: 'read_csv https', sql: () => "SELECT * FROM read_csv('https://example.org/x.csv')" },
    { name: 'FROM gcs URL', sql: () => "SELECT * FROM 'gcs://bucket/x.parquet'" },
    { name: 'FROM hf URL', sql: () => "SELECT * FROM 'hf://datasets/x/y.parquet'" },
    // Statements that leave the sandbox or change it.
    { name: 'ATTACH file', sql: () => `ATTACH '${p('canary')}.duckdb' AS x` },
    { name: 'ATTACH other scratch', sql: () => `ATTACH '${p('scratchDb')}' AS again` },
    { name: 'ATTACH memory', sql: () => "ATTACH ':memory:' AS m" },
    { name: 'ATTACH sqlite', sql: () => "ATTACH '/etc/passwd' AS s (TYPE sqlite)" },
    { name: 'DETACH', sql: () => 'DETACH scratch' },
    { name: 'USE', sql: () => 'USE system' },
    { name: 'COPY TO outside', sql: () => `COPY (SELECT * FROM IR_BEN_R) TO '${p('canary')}.csv'` },
    { name: 'COPY TO own extract', sql: () => `COPY (SELECT * FROM IR_BEN_R) TO '${path.dirname(p('ownExtract'))}/copy.parquet'` },
    { name: 'COPY table TO', sql: () => `COPY mine TO '${p('canary')}.parquet' (FORMAT parquet)` },
    { name: 'COPY FROM file', sql: () => "COPY mine FROM '/etc/passwd'" },
    { name: 'EXPORT DATABASE', sql: () => `EXPORT DATABASE '${p('canary')}'` },
    { name: 'IMPORT DATABASE', sql: () => `IMPORT DATABASE '${p('otherDir')}'` },
    { name: 'INSTALL httpfs', sql: () => 'INSTALL httpfs' },
    { name: 'FORCE INSTALL from URL', sql: () => "FORCE INSTALL httpfs FROM 'http://example.org/ext'" },
    { name: 'LOAD httpfs', sql: () => 'LOAD httpfs' },
    { name: 'LOAD from path', sql: () => "LOAD '/tmp/evil.duckdb_extension'" },
    { name: 'SET memory_limit', sql: () => "SET memory_limit = '100GB'" },
    { name: 'SET enable_external_access', sql: () => 'SET enable_external_access = true' },
    { name: 'SET allowed_directories', sql: () => "SET allowed_directories = ['/']" },
    { name: 'SET GLOBAL threads', sql: () => 'SET GLOBAL threads = 64' },
    { name: 'RESET lock_configuration', sql: () => 'RESET lock_configuration' },
    { name: 'SET lock_configuration false', sql: () => 'SET lock_configuration = false' },
    { name: 'SET temp_directory', sql: () => "SET temp_directory = '/tmp'" },
    { name: 'PRAGMA enable_profiling', sql: () => 'PRAGMA enable_profiling' },
    { name: 'PRAGMA profiling_output', sql: () => `PRAGMA profiling_output = '${p('canary')}.json'` },
    { name: 'SET profiling_output', sql: () => `SET profiling_output = '${p('canary')}.json'` },
    { name: 'SET enable_profiling json', sql: () => "SET enable_profiling = 'json'" },
    { name: 'SET log_query_path', sql: () => `SET log_query_path = '${p('canary')}.log'` },
    { name: 'CALL enable_logging', sql: () => 'CALL enable_logging()' },
    { name: 'SELECT enable_logging()', sql: () => 'SELECT * FROM enable_logging()' },
    { name: 'enable_logging with storage path', sql: () => `SELECT * FROM enable_logging(storage_path => '${p('canary')}')` },
    { name: 'duckdb_logs', sql: () => 'SELECT * FROM duckdb_logs()' },
    { name: 'write_log', sql: () => "SELECT write_log('x')" },
    { name: 'enable_profiling table function', sql: () => 'SELECT * FROM enable_profiling()' },
    { name: 'PRAGMA version', sql: () => 'PRAGMA version' },
    { name: 'pragma_ table function', sql: () => 'SELECT * FROM pragma_database_list' },
    { name: 'CALL pragma_version', sql: () => 'CALL pragma_version()' },
    { name: 'CHECKPOINT', sql: () => 'CHECKPOINT' },
    { name: 'CREATE SECRET', sql: () => "CREATE SECRET s (TYPE s3, KEY_ID 'a', SECRET 'b')" },
    { name: 'CREATE PERSISTENT SECRET', sql: () => "CREATE PERSISTENT SECRET s (TYPE s3, KEY_ID 'a', SECRET 'b')" },
    { name: 'duckdb_secrets()', sql: () => 'SELECT * FROM duckdb_secrets()' },
    { name: 'which_secret', sql: () => "SELECT * FROM which_secret('s3://x/y', 's3')" },
    // Settings, environment and system catalogues.
    { name: 'current_setting', sql: () => "SELECT current_setting('allowed_directories')" },
    { name: 'getenv', sql: () => "SELECT getenv('HDH_DATABASE_URL')" },
    { name: 'duckdb_settings()', sql: () => 'SELECT * FROM duckdb_settings()' },
    { name: 'duckdb_databases()', sql: () => 'SELECT * FROM duckdb_databases()' },
    { name: 'duckdb_extensions()', sql: () => 'SELECT * FROM duckdb_extensions()' },
    { name: 'duckdb_temporary_files()', sql: () => 'SELECT * FROM duckdb_temporary_files()' },
    { name: 'duckdb_views view', sql: () => 'SELECT sql FROM duckdb_views' },
    { name: 'sqlite_master', sql: () => 'SELECT * FROM sqlite_master' },
    { name: 'pg_settings', sql: () => 'SELECT * FROM pg_settings' },
    { name: 'information_schema.tables', sql: () => 'SELECT * FROM information_schema.tables' },
    { name: 'system catalog', sql: () => 'SELECT * FROM system.main.duckdb_settings' },
    { name: 'CTE cannot shadow a system view out of its scope', sql: () => 'SELECT * FROM (WITH sqlite_master AS (SELECT 1 AS x) SELECT * FROM sqlite_master), sqlite_master' },
    { name: 'CTE named like a system view', sql: () => 'WITH pg_settings AS (SELECT 1 AS x) SELECT * FROM pg_settings' },
    { name: 'SHOW TABLES', sql: () => 'SHOW TABLES' },
    { name: 'SHOW ALL TABLES', sql: () => 'SHOW ALL TABLES' },
    { name: 'query()', sql: () => "SELECT * FROM query('SELECT * FROM duckdb_settings()')" },
    { name: 'query_table()', sql: () => "SELECT * FROM query_table('sqlite_master')" },
    { name: 'json_execute_serialized_sql', sql: () => "SELECT * FROM json_execute_serialized_sql('{}')" },
    // Hidden in subqueries, views, inserts and tables of one's own.
    { name: 'scalar subquery over read_text', sql: () => "SELECT (SELECT content FROM read_text('/etc/passwd'))" },
    { name: 'lateral read_csv', sql: () => "SELECT * FROM mine, LATERAL (SELECT * FROM read_csv('/etc/passwd'))" },
    { name: 'IN subquery over glob', sql: () => "SELECT * FROM mine WHERE x IN (SELECT 1 FROM glob('/etc/*'))" },
    { name: 'view over a file', sql: () => "CREATE VIEW sneaky AS SELECT * FROM read_csv('/etc/passwd')" },
    { name: 'table from another project', sql: () => `CREATE TABLE loot AS SELECT * FROM read_parquet('${p('otherExtract')}')` },
    { name: 'insert from a file', sql: () => "INSERT INTO mine SELECT 1 FROM read_blob('/etc/passwd')" },
    { name: 'DESCRIBE a file', sql: () => "DESCRIBE SELECT * FROM read_csv('/etc/passwd')" },
    { name: 'SUMMARIZE a file', sql: () => `SUMMARIZE SELECT * FROM read_parquet('${p('lakeFile')}')` },
    { name: 'UNION with a file', sql: () => "SELECT 'a' AS x UNION ALL SELECT content FROM read_text('/etc/hostname')" },
    { name: 'qualified create', sql: () => 'CREATE TABLE main.sneaky AS SELECT 1 AS x' },
    { name: 'quoted create name', sql: () => 'CREATE TABLE "../sneaky" AS SELECT 1 AS x' },
    { name: 'create without AS', sql: () => 'CREATE TABLE t2 (a INTEGER DEFAULT 1)' },
    { name: 'CREATE TEMP TABLE', sql: () => 'CREATE TEMP TABLE t2 AS SELECT 1 AS x' },
    { name: 'CREATE MACRO', sql: () => "CREATE MACRO m() AS TABLE SELECT * FROM read_csv('/etc/passwd')" },
    { name: 'CREATE FUNCTION', sql: () => 'CREATE FUNCTION f(x) AS x + 1' },
    { name: 'CREATE SCHEMA', sql: () => 'CREATE SCHEMA s' },
    { name: 'ALTER TABLE', sql: () => 'ALTER TABLE IR_BEN_R RENAME TO x' },
    { name: 'UPDATE extract view', sql: () => "UPDATE IR_BEN_R SET BEN_SEX_COD = 1" },
    { name: 'DELETE', sql: () => 'DELETE FROM mine' },
    { name: 'PREPARE', sql: () => "PREPARE p AS SELECT * FROM read_csv('/etc/passwd')" },
    { name: 'SET VARIABLE', sql: () => "SET VARIABLE v = '/etc/passwd'" },
    { name: 'BEGIN', sql: () => 'BEGIN TRANSACTION' },
    { name: 'VACUUM', sql: () => 'VACUUM' },
    { name: 'EXPLAIN ANALYZE', sql: () => 'EXPLAIN ANALYZE SELECT 1' },
    { name: 'PIVOT statement', sql: () => "PIVOT (SELECT * FROM read_csv('/etc/passwd')) ON column0 USING count(*)" },
    // Several or very long statements.
    { name: 'two statements', sql: () => 'SELECT 1; SELECT 2' },
    { name: 'statement smuggled after a query', sql: () => `SELECT 1; COPY mine TO '${p('canary')}.csv'` },
    { name: 'after a create', sql: () => `CREATE TABLE t3 AS SELECT 1 AS x; ATTACH '${p('canary')}.db'` },
    { name: 'semicolon hidden by a comment', sql: () => "SELECT 1 /* ; */; SELECT * FROM read_csv('/etc/passwd')" },
    { name: 'semicolon after a string', sql: () => "SELECT ';' AS x; INSTALL httpfs" },
    { name: 'create smuggling a second statement', sql: () => 'CREATE TABLE t4 AS SELECT 1 AS x; DROP TABLE mine' },
    { name: 'very long statement', sql: () => `SELECT ${'1 + '.repeat(6000)}1 AS x` },
    { name: 'empty', sql: () => ' -- nothing\n ;' },
    // Resource exhaustion: stopped by the time or memory limit.
    { name: 'cross join', sql: () => 'SELECT count(*) FROM range(100000000) a, range(100000000) b', codes: exhaustion },
    { name: 'huge list in memory', sql: () => 'SELECT list(range)[1] FROM range(2000000000)', codes: exhaustion },
    { name: 'giant strings', sql: () => "SELECT length(string_agg(repeat('x', 1000000), '')) FROM range(100000)", codes: exhaustion },
    { name: 'endless recursion', sql: () => 'WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r', codes: exhaustion },
    { name: 'sort of a cross join', sql: () => 'SELECT * FROM IR_BEN_R a, IR_BEN_R b, IR_BEN_R c ORDER BY random() LIMIT 1', codes: exhaustion },
  ];

  it('the corpus holds at least 100 attempts', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(100);
  });

  it.each(corpus.map((c, i) => [`ESC-${String(i + 1).padStart(3, '0')} ${c.name}`, c] as const))('AUTH-12: %s is denied', async (_name, attempt) => {
    const { statusCode, body } = await runSql(attacker, a.id, attempt.sql(), 60_000);
    const code = body.error?.code;
    if (attempt.codes) {
      expect(statusCode).toBe(200);
      expect(body.status).toBe('failed');
    } else {
      expect([400, 403]).toContain(statusCode);
    }
    expect(attempt.codes ?? checkCodes).toContain(code);
  });

  it('after the corpus: nothing was written outside, the other project and the lake are intact, the hub and the session still serve', async () => {
    for (const [dir, files] of before) expect(listing(dir), dir).toEqual(files);
    expect(fs.existsSync(`${p('canary')}.csv`) || fs.existsSync(`${p('canary')}.duckdb`) || fs.existsSync(`${p('canary')}.json`)).toBe(false);
    expect(fs.existsSync(path.join(path.dirname(p('ownExtract')), 'copy.parquet'))).toBe(false);
    expect((await t.client().get('/api/health')).statusCode).toBe(200);
    expect((await runSql(attacker, a.id, 'SELECT count(*) AS n FROM IR_BEN_R')).body).toMatchObject({ status: 'done' });
    // Every refusal is in the audit trail with the attempted SQL (LOG-01, LOG-03).
    const refused = (await t.superuserSql(`select count(*)::int as n from audit_events where action = 'workspace.query' and outcome in ('denied', 'failure') and project_id = '${a.id}'`)) as { n: number }[];
    expect(refused[0]!.n).toBeGreaterThanOrEqual(corpus.length);
  });

  it('second wall: the same file reads, sent straight to the session’s engine without the statement check, are refused by DuckDB’s sandbox', async () => {
    const session = t.hub.services.workspaces.sessions.find(a.id, await cast.userId('member'))!;
    const direct = [
      "SELECT * FROM read_csv('/etc/passwd')",
      `SELECT * FROM read_parquet('${p('lakeFile')}')`,
      `SELECT * FROM read_parquet('${p('otherExtract')}')`,
      `SELECT * FROM read_parquet('${p('relative')}')`,
      `SELECT * FROM read_text('${p('secrets')}')`,
      `SELECT * FROM read_csv('${p('linkPasswd')}')`,
      `SELECT * FROM read_csv('${p('linkInExtract')}')`,
      `SELECT * FROM glob('${p('linkOther')}/**')`,
      "SELECT * FROM 'https://example.org/x.csv'",
      `COPY (SELECT 1) TO '${p('canary')}.csv'`,
      `ATTACH '${p('canary')}.duckdb' AS x`,
      "SET enable_external_access = true",
      "SET memory_limit = '100GB'",
      'INSTALL httpfs',
    ];
    for (const sql of direct) {
      const err = await session.run(sql, { maxRows: 10, timeoutMs: 10_000 }).result.then(() => null, (e: Error) => e);
      expect(err, sql).not.toBeNull();
      expect(err!.message, sql).toMatch(/Permission Error|locked|disabled/);
    }
    // The engine alone lets a file glob list nothing outside; DuckDB resolves the planted symlinks.
    expect(fs.existsSync(`${p('canary')}.csv`)).toBe(false);
  });
});
