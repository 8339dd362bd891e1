/** Nomenclatures and their codes, through Kysely (kept apart from repo.ts for size). */
import { sql } from 'kysely';
import type { Executor } from '../platform/db/database.js';
import type { CodeRow, NomenclatureRow } from './repo.js';

export function listNomenclatures(db: Executor) {
  return db.selectFrom('catalog_nomenclatures').selectAll().orderBy('name').execute();
}
export function findNomenclature(db: Executor, name: string) {
  return db.selectFrom('catalog_nomenclatures').selectAll().where('name', '=', name).executeTakeFirst();
}
export function insertNomenclature(db: Executor, row: NomenclatureRow) {
  return db.insertInto('catalog_nomenclatures').values({ ...row, columns: JSON.stringify(row.columns) as unknown as NomenclatureRow['columns'] }).execute();
}
export function updateNomenclature(db: Executor, id: string, patch: Partial<NomenclatureRow>) {
  const p: Record<string, unknown> = { ...patch };
  if (patch.columns) p.columns = JSON.stringify(patch.columns);
  return db.updateTable('catalog_nomenclatures').set(p).where('id', '=', id).execute();
}
export function deleteNomenclature(db: Executor, id: string) {
  return db.deleteFrom('catalog_nomenclatures').where('id', '=', id).execute();
}
export function deleteCodes(db: Executor, nomenclatureId: string) {
  return db.deleteFrom('catalog_nomenclature_codes').where('nomenclature_id', '=', nomenclatureId).execute();
}
/**
 * Many codes in one statement: the batch travels as one JSON parameter unpacked by
 * jsonb_to_recordset — a single round trip and no 65 535-parameter ceiling (PGlite and PostgreSQL).
 */
export async function insertCodes(db: Executor, nomenclatureId: string, rows: Omit<CodeRow, 'nomenclature_id'>[]) {
  if (rows.length === 0) return;
  await sql`
    insert into catalog_nomenclature_codes (nomenclature_id, row_no, code, label, valid_from, valid_to, "values")
    select ${nomenclatureId}::uuid, r.row_no, r.code, r.label, r.valid_from, r.valid_to, r."values"
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(row_no integer, code text, label text, valid_from text, valid_to text, "values" text[])
  `.execute(db);
}
export interface CodePageFilter {
  q?: string | undefined;
  limit: number;
  offset: number;
}
export async function codesPage(db: Executor, nomenclatureId: string, filter: CodePageFilter) {
  let query = db.selectFrom('catalog_nomenclature_codes').where('nomenclature_id', '=', nomenclatureId);
  if (filter.q) {
    const q = filter.q;
    query = query.where((eb) =>
      eb.or([
        eb(sql<string>`upper(code)`, 'like', `${q.toUpperCase().replace(/[%_\\]/g, '\\$&')}%`),
        sql<boolean>`search @@ (select to_tsquery('hdh_french', string_agg(quote_literal(w) || ':*', ' & ')) from regexp_split_to_table(unaccent(${q}), '[^[:alnum:]]+') w where w <> '')`,
      ]),
    );
  }
  const [rows, total] = await Promise.all([
    query.selectAll().orderBy('row_no').limit(filter.limit).offset(filter.offset).execute(),
    query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirst(),
  ]);
  return { rows, total: Number(total?.n ?? 0) };
}


export function allCodes(db: Executor, nomenclatureId: string) {
  return db.selectFrom('catalog_nomenclature_codes').select(['code', 'values']).where('nomenclature_id', '=', nomenclatureId).orderBy('row_no').execute();
}
