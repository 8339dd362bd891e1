/**
 * Shared programs — programmes partagés: analysis programs (SQL) attached to catalogue tables,
 * with description, author, licence and versions; searchable. Anyone signed in shares one; its
 * author or hub staff add versions. "Copy into my workspace" will read a version from here.
 */
import crypto from 'node:crypto';
import type { AnyActor } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/database.js';
import { HdhError, registerMessages } from '../platform/errors.js';
import type { AuditService } from '../audit/service.js';
import * as programs from './documentation-repo.js';
import type { ProgramRow } from './documentation-repo.js';
import { isHubStaff } from './policy.js';
import * as repo from './repo.js';
import type { ProgramInput, ProgramVersionInput, ProgramView } from './schema.js';

registerMessages({
  'catalog.program_not_found': { fr: 'Programme introuvable : {slug}', en: 'Program not found: {slug}' },
  'catalog.program_exists': { fr: 'Un programme « {slug} » existe déjà.', en: 'A program “{slug}” already exists.' },
  'catalog.program_unknown_table': { fr: 'Table inconnue du catalogue : {name}', en: 'Table unknown to the catalogue: {name}' },
});

function label(actor: AnyActor): string {
  return actor.kind === 'user' ? actor.email : `system:${actor.label}`;
}

function summary(p: ProgramRow) {
  return { slug: p.slug, title: p.title, description: p.description, language: p.language, licence: p.licence, tables: p.tables, author: p.author_label, currentVersion: p.current_version, updatedAt: p.updated_at.toISOString() };
}

export class ProgramService {
  constructor(private readonly deps: { db: Db; clock: Clock; audit: AuditService }) {}

  async search(filter: { q?: string | undefined; table?: string | undefined; limit: number }) {
    return (await programs.searchPrograms(this.deps.db, filter)).map(summary);
  }

  async get(slug: string): Promise<ProgramView> {
    const p = await programs.findProgram(this.deps.db, slug);
    if (!p) throw new HdhError('catalog.program_not_found', 404, { slug });
    const versions = await programs.programVersions(this.deps.db, p.id);
    return { ...summary(p), code: versions[0]?.code ?? '', versions: versions.map((v) => ({ version: v.version, note: v.note, author: v.author_label, createdAt: v.created_at.toISOString(), code: v.code })) };
  }

  async create(actor: AnyActor, input: ProgramInput): Promise<ProgramView> {
    await this.deps.db.transaction().execute(async (tx) => {
      if (await programs.findProgram(tx, input.slug)) throw new HdhError('catalog.program_exists', 409, { slug: input.slug });
      const tables: string[] = [];
      for (const name of input.tables) {
        const t = (await repo.findTable(tx, name)) ?? (await repo.findTableByPattern(tx, name));
        if (!t) throw new HdhError('catalog.program_unknown_table', 400, { name });
        if (!tables.includes(t.name)) tables.push(t.name);
      }
      const now = this.deps.clock.now();
      const row: ProgramRow = {
        id: crypto.randomUUID(), slug: input.slug, title: input.title, description: input.description, language: input.language, licence: input.licence, tables,
        author_id: actor.kind === 'user' ? actor.userId : null, author_label: label(actor), current_version: 1, created_at: now, updated_at: now,
      };
      await programs.insertProgram(tx, row);
      await programs.insertProgramVersion(tx, { program_id: row.id, version: 1, code: input.code, note: 'Première version', author_id: row.author_id, author_label: row.author_label, created_at: now });
      await this.deps.audit.record(tx, { actor, action: 'catalog.program_create', target: { type: 'program', id: row.slug }, details: { tables } });
    });
    return this.get(input.slug);
  }

  async addVersion(actor: AnyActor, slug: string, input: ProgramVersionInput): Promise<ProgramView> {
    await this.deps.db.transaction().execute(async (tx) => {
      const p = await programs.findProgram(tx, slug, true);
      if (!p) throw new HdhError('catalog.program_not_found', 404, { slug });
      const isAuthor = actor.kind === 'user' && actor.userId === p.author_id;
      if (!isAuthor && !isHubStaff(actor)) throw new HdhError('auth.forbidden', 403);
      const now = this.deps.clock.now();
      const version = p.current_version + 1;
      await programs.insertProgramVersion(tx, { program_id: p.id, version, code: input.code, note: input.note, author_id: actor.kind === 'user' ? actor.userId : null, author_label: label(actor), created_at: now });
      await programs.updateProgram(tx, p.id, { current_version: version, updated_at: now, ...(input.description ? { description: input.description } : {}) });
      await this.deps.audit.record(tx, { actor, action: 'catalog.program_version', target: { type: 'program', id: slug }, details: { version } });
    });
    return this.get(slug);
  }
}
