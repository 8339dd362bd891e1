/**
 * Deterministic linkage — appariement déterministe: two lake tables joined on their person
 * pseudonym column (e.g. BEN_NIR_PSA), both pseudonymised under the same key by ingestion. The
 * result is counts per side: rows, rows without pseudonym, distinct people, people found on the
 * other side and not, rows of the people found.
 */
import path from 'node:path';
import type { AnalyticsEngine } from '../platform/engine/engine.js';
import { quoteIdent, quoteLiteral } from '../platform/engine/engine.js';
import { HdhError } from '../platform/errors.js';
import type { Lake } from '../platform/lake/lake.js';
import type { DeterministicReport, LakeColumnRef } from './schema.js';
import './messages.js';

interface ResolvedSide {
  ref: LakeColumnRef;
  files: string[];
  dir: string;
}

/** The table's files, or a located 404 naming the side. */
export function checkLakeTable(lake: Lake, side: 'left' | 'right', ref: LakeColumnRef): ResolvedSide {
  const manifest = lake.readManifest(ref.release, ref.version);
  if (!manifest) throw new HdhError('linkage.release_not_found', 404, { name: ref.release, version: ref.version }, [{ location: `${side}.release`, message: `no release ${ref.release} v${ref.version}` }]);
  const files = lake.tableFiles(manifest, ref.table);
  if (!files) throw new HdhError('linkage.table_not_found', 404, { name: ref.release, version: ref.version, table: ref.table }, [{ location: `${side}.table`, message: `no table ${ref.table}` }]);
  return { ref, files, dir: lake.releaseDir(ref.release, ref.version) };
}

export async function runDeterministicLinkage(deps: { engine: AnalyticsEngine; lake: Lake }, left: LakeColumnRef, right: LakeColumnRef): Promise<DeterministicReport> {
  const started = Date.now();
  const sides = { left: checkLakeTable(deps.lake, 'left', left), right: checkLakeTable(deps.lake, 'right', right) };
  const session = await deps.engine.open({ threads: 2, memoryLimit: '2GB', allowedDirectories: [...new Set([sides.left.dir, sides.right.dir].map((d) => path.resolve(d)))] });
  try {
    for (const [name, side] of Object.entries(sides)) {
      const source = `read_parquet([${side.files.map(quoteLiteral).join(', ')}])`;
      const columns = (await session.query(`DESCRIBE SELECT * FROM ${source}`)).map((r) => String(r.column_name));
      if (!columns.includes(side.ref.column)) {
        throw new HdhError('linkage.column_not_found', 400, { table: side.ref.table, column: side.ref.column }, [{ location: `${name}.column`, message: `columns of ${side.ref.table}: ${columns.join(', ')}` }]);
      }
      await session.run(`CREATE TABLE ${name}_rows AS SELECT CAST(${quoteIdent(side.ref.column)} AS VARCHAR) AS p FROM ${source}`);
      await session.run(`CREATE TABLE ${name}_people AS SELECT p, count(*) AS n FROM ${name}_rows WHERE p IS NOT NULL AND p <> '' GROUP BY p`);
    }
    const count = async (name: 'left' | 'right', other: 'left' | 'right'): Promise<DeterministicReport['left']> => {
      const r = (
        await session.query(
          `SELECT (SELECT count(*) FROM ${name}_rows)::BIGINT AS rows,
                  (SELECT count(*) FROM ${name}_rows WHERE p IS NULL OR p = '')::BIGINT AS null_rows,
                  (SELECT count(*) FROM ${name}_people)::BIGINT AS persons,
                  (SELECT count(*) FROM ${name}_people x SEMI JOIN ${other}_people y ON x.p = y.p)::BIGINT AS matched,
                  (SELECT coalesce(sum(n), 0) FROM ${name}_people x SEMI JOIN ${other}_people y ON x.p = y.p)::BIGINT AS matched_rows`,
        )
      )[0]!;
      const persons = Number(r.persons);
      const matched = Number(r.matched);
      const ref = sides[name].ref;
      return {
        release: ref.release,
        version: ref.version,
        table: ref.table,
        column: ref.column,
        rows: Number(r.rows),
        nullRows: Number(r.null_rows),
        persons,
        matchedPersons: matched,
        unmatchedPersons: persons - matched,
        matchedRows: Number(r.matched_rows),
        matchRate: persons ? matched / persons : 0,
      };
    };
    return { kind: 'deterministic', left: await count('left', 'right'), right: await count('right', 'left'), durationMs: Date.now() - started };
  } finally {
    await session.close();
  }
}
