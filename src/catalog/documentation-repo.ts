/** Tables of documentation pages and shared programs, through Kysely. */
import { sql, type Selectable } from 'kysely';
import type { Executor } from '../platform/db/database.js';

declare module '../platform/db/tables.js' {
  interface Tables {
    catalog_doc_pages: DocPageTable;
    catalog_doc_revisions: DocRevisionTable;
    catalog_programs: ProgramTable;
    catalog_program_versions: ProgramVersionTable;
  }
}

export type SubjectType = 'dataset' | 'table' | 'variable';
export interface DocPageTable {
  id: string;
  subject_type: SubjectType;
  subject_key: string;
  slug: string;
  published_number: number | null;
  created_at: Date;
  updated_at: Date;
}
export type DocPageRow = Selectable<DocPageTable>;
export type RevisionStatus = 'proposed' | 'published' | 'rejected' | 'superseded';
export interface DocRevisionTable {
  page_id: string;
  number: number;
  title: string;
  body: string;
  base_number: number | null;
  diff: string;
  status: RevisionStatus;
  author_id: string | null;
  author_label: string;
  created_at: Date;
  reviewer_label: string | null;
  reviewed_at: Date | null;
  review_note: string | null;
}
export type DocRevisionRow = Selectable<DocRevisionTable>;

export interface ProgramTable {
  id: string;
  slug: string;
  title: string;
  description: string;
  language: 'sql';
  licence: string;
  tables: string[];
  author_id: string | null;
  author_label: string;
  current_version: number;
  created_at: Date;
  updated_at: Date;
}
export type ProgramRow = Selectable<ProgramTable>;
export interface ProgramVersionTable {
  program_id: string;
  version: number;
  code: string;
  note: string;
  author_id: string | null;
  author_label: string;
  created_at: Date;
}
export type ProgramVersionRow = Selectable<ProgramVersionTable>;

// Documentation
export function pagesOfSubject(db: Executor, type: SubjectType, key: string) {
  return db.selectFrom('catalog_doc_pages').selectAll().where('subject_type', '=', type).where('subject_key', '=', key).orderBy('slug').execute();
}
export function findPage(db: Executor, id: string, lock = false) {
  const q = db.selectFrom('catalog_doc_pages').selectAll().where('id', '=', id);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}
export function findPageBySlug(db: Executor, type: SubjectType, key: string, slug: string) {
  return db.selectFrom('catalog_doc_pages').selectAll().where('subject_type', '=', type).where('subject_key', '=', key).where('slug', '=', slug).forUpdate().executeTakeFirst();
}
export function insertPage(db: Executor, row: DocPageRow) {
  return db.insertInto('catalog_doc_pages').values(row).execute();
}
export function updatePage(db: Executor, id: string, patch: Partial<DocPageRow>) {
  return db.updateTable('catalog_doc_pages').set(patch).where('id', '=', id).execute();
}
export function revisionsOfPage(db: Executor, pageId: string) {
  return db.selectFrom('catalog_doc_revisions').selectAll().where('page_id', '=', pageId).orderBy('number', 'desc').execute();
}
export function findRevision(db: Executor, pageId: string, number: number) {
  return db.selectFrom('catalog_doc_revisions').selectAll().where('page_id', '=', pageId).where('number', '=', number).executeTakeFirst();
}
export async function nextRevisionNumber(db: Executor, pageId: string): Promise<number> {
  const row = await db.selectFrom('catalog_doc_revisions').select((eb) => eb.fn.max('number').as('n')).where('page_id', '=', pageId).executeTakeFirst();
  return Number(row?.n ?? 0) + 1;
}
export function insertRevision(db: Executor, row: DocRevisionRow) {
  return db.insertInto('catalog_doc_revisions').values(row).execute();
}
export function updateRevision(db: Executor, pageId: string, number: number, patch: Partial<DocRevisionRow>) {
  return db.updateTable('catalog_doc_revisions').set(patch).where('page_id', '=', pageId).where('number', '=', number).execute();
}
export function proposedRevisions(db: Executor, limit: number) {
  return db
    .selectFrom('catalog_doc_revisions as r')
    .innerJoin('catalog_doc_pages as p', 'p.id', 'r.page_id')
    .select(['r.page_id', 'r.number', 'r.title', 'r.author_label', 'r.created_at', 'r.diff', 'p.subject_type', 'p.subject_key', 'p.slug'])
    .where('r.status', '=', 'proposed')
    .orderBy('r.created_at')
    .limit(limit)
    .execute();
}

// Programs
export function findProgram(db: Executor, slug: string, lock = false) {
  const q = db.selectFrom('catalog_programs').selectAll().where('slug', '=', slug);
  return (lock ? q.forUpdate() : q).executeTakeFirst();
}
export function insertProgram(db: Executor, row: ProgramRow) {
  return db.insertInto('catalog_programs').values(row).execute();
}
export function updateProgram(db: Executor, id: string, patch: Partial<ProgramRow>) {
  return db.updateTable('catalog_programs').set(patch).where('id', '=', id).execute();
}
export function insertProgramVersion(db: Executor, row: ProgramVersionRow) {
  return db.insertInto('catalog_program_versions').values(row).execute();
}
export function programVersions(db: Executor, programId: string) {
  return db.selectFrom('catalog_program_versions').selectAll().where('program_id', '=', programId).orderBy('version', 'desc').execute();
}
export function searchPrograms(db: Executor, filter: { q?: string | undefined; table?: string | undefined; limit: number }) {
  let query = db.selectFrom('catalog_programs').selectAll();
  if (filter.table) query = query.where(sql<boolean>`${filter.table} = any(tables)`);
  if (filter.q) {
    const words = filter.q.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
    if (words.length) {
      const tsquery = words.map((w) => `'${w}':*`).join(' & ');
      query = query.where(sql<boolean>`search @@ to_tsquery('hdh_french', ${tsquery})`).orderBy(sql`ts_rank(search, to_tsquery('hdh_french', ${tsquery}))`, 'desc');
    }
  }
  return query.orderBy('updated_at', 'desc').limit(filter.limit).execute();
}
