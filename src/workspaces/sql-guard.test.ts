import { describe, expect, it } from 'vitest';
import { DuckDbEngine } from '../platform/engine/duckdb.js';
import { HdhError } from '../platform/errors.js';
import { checkTree, classify } from './sql-guard.js';
import { bindParameters, splitStatements } from './sql-text.js';

const reserved = new Set(['ir_ben_r']);
const code = (fn: () => unknown) => {
  try {
    fn();
    return null;
  } catch (err) {
    return err instanceof HdhError ? err.code : String(err);
  }
};

/** DuckDB's own parse tree, as the session process produces it. */
async function tree(sql: string): Promise<string> {
  const s = await new DuckDbEngine().open();
  try {
    const rows = await s.query(`SELECT json_serialize_sql('${sql.replace(/'/g, "''")}') AS j`);
    return String(rows[0]!.j);
  } finally {
    await s.close();
  }
}

describe('statement check', () => {
  it('classifies the five allowed forms; the query part starts right after AS, comments included', () => {
    expect(classify('SELECT 1', reserved, 1000)).toMatchObject({ kind: 'select', expectedType: 'SELECT' });
    expect(classify('  -- a note\nFROM t', reserved, 1000)).toMatchObject({ kind: 'select' });
    const ctas = classify('-- cohort\nCREATE OR REPLACE TABLE Cohort AS /* women */ SELECT 1', reserved, 1000);
    expect(ctas).toMatchObject({ kind: 'create_table', target: 'cohort', expectedType: 'CREATE' });
    expect(ctas.select).toBe(' /* women */ SELECT 1');
    expect(classify('CREATE VIEW IF NOT EXISTS v AS SELECT 1', reserved, 1000)).toMatchObject({ kind: 'create_view', target: 'v', select: ' SELECT 1' });
    expect(classify('INSERT INTO t (a, b) SELECT 1, 2', reserved, 1000)).toMatchObject({ kind: 'insert', target: 't', select: ' SELECT 1, 2' });
    expect(classify('DROP TABLE IF EXISTS t;', reserved, 1000)).toMatchObject({ kind: 'drop', target: 't', select: null });
  });

  it('refuses every other statement by name, reserved and system names, qualified names, and long text', () => {
    for (const sql of ['ATTACH x', 'COPY t TO x', 'EXPORT DATABASE x', 'INSTALL x', 'LOAD x', 'SET a = 1', 'RESET a', 'PRAGMA a', 'CALL f()', 'CREATE SECRET s (TYPE s3)', 'CREATE MACRO m() AS 1', 'CREATE TEMP TABLE t AS SELECT 1', 'UPDATE t SET a = 1', 'DROP SCHEMA s']) {
      expect(code(() => classify(sql, reserved, 1000)), sql).toBe('workspace.statement_not_allowed');
    }
    expect(code(() => classify('CREATE TABLE ir_ben_r AS SELECT 1', reserved, 1000))).toBe('workspace.name_reserved');
    expect(code(() => classify('CREATE TABLE pg_settings AS SELECT 1', reserved, 1000))).toBe('workspace.name_reserved');
    expect(code(() => classify('CREATE TABLE main.t AS SELECT 1', reserved, 1000))).toBe('workspace.statement_not_allowed');
    expect(code(() => classify('CREATE TABLE "t" AS SELECT 1', reserved, 1000))).toBe('workspace.statement_not_allowed');
    expect(code(() => classify('SELECT 1', reserved, 5))).toBe('workspace.sql_too_long');
    expect(code(() => classify('  -- only a comment', reserved, 1000))).toBe('workspace.sql_empty');
  });

  it('walks the parse tree: table functions on the list only, no settings or file functions, only known tables and CTEs in scope', async () => {
    const known = new Set(['t', 'ir_ben_r']);
    expect(code(() => checkTree('x', known))).toBe('workspace.sql_invalid');
    const cases: [string, string | null][] = [
      ['SELECT a, count(*) OVER () FROM t WHERE a IN (SELECT 1 FROM ir_ben_r)', null],
      ['SELECT * FROM t JOIN range(3) r ON true', null],
      ['WITH c AS (SELECT 1 AS x) SELECT * FROM c, t', null],
      ['SELECT list_transform([1], x -> x + 1), unnest([1, 2])', null],
      ["SELECT * FROM read_csv('/etc/passwd')", 'workspace.function_not_allowed'],
      ['SELECT * FROM enable_logging()', 'workspace.function_not_allowed'],
      ["SELECT current_setting('threads')", 'workspace.function_not_allowed'],
      ["SELECT (SELECT content FROM read_text('/x'))", 'workspace.function_not_allowed'],
      ["SELECT * FROM '/etc/passwd'", 'workspace.table_not_allowed'],
      ['SELECT * FROM sqlite_master', 'workspace.table_not_allowed'],
      ['SELECT * FROM system.main.t', 'workspace.table_not_allowed'],
      ['SELECT * FROM (WITH c AS (SELECT 1) SELECT * FROM c), c', 'workspace.table_not_allowed'],
      ['WITH duckdb_x AS (SELECT 1) SELECT * FROM duckdb_x', 'workspace.name_reserved'],
      ['SHOW TABLES', 'workspace.statement_not_allowed'],
      ['SELECT 1; SELECT 2', 'workspace.multiple_statements'],
      ['SELEC 1', 'workspace.sql_invalid'],
    ];
    for (const [sql, expected] of cases) {
      const serialized = await tree(sql);
      expect(code(() => checkTree(serialized, known)), sql).toBe(expected);
    }
  });

  it('splits programs on semicolons outside strings, identifiers and comments; binds ${parameters} as literals outside strings', () => {
    expect(splitStatements("SELECT ';' AS a; -- x; y\nSELECT \"a;b\" FROM t; /* ; */ ;\n$$;$$;")).toEqual(["SELECT ';' AS a", " -- x; y\nSELECT \"a;b\" FROM t", '\n$$;$$']);
    expect(bindParameters("SELECT * FROM t WHERE a = ${x} AND b = ${s} AND c = '${x}' -- ${nope}", { x: -3, s: "O'Brien" })).toBe("SELECT * FROM t WHERE a = (-3) AND b = 'O''Brien' AND c = '${x}' -- ${nope}");
    expect(code(() => bindParameters('SELECT ${missing}', {}))).toBe('workspace.parameter_missing');
    expect(code(() => bindParameters('SELECT ${n}', { n: Number.NaN }))).toBe('workspace.parameter_invalid');
  });
});
