/**
 * Programs of a workspace — programmes: named SQL with versions, shared by the project's team
 * (each save is a new version; old ones stay). A shared program of the catalogue can be copied
 * in; the copy remembers where it came from. Every change is audited.
 */
import crypto from 'node:crypto';
import type { AuditService } from '../audit/service.js';
import type { CatalogService } from '../catalog/service.js';
import type { ProjectAccess } from '../projects/service.js';
import type { AnyActor } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/database.js';
import { HdhError, registerMessages } from '../platform/errors.js';
import * as repo from './repo.js';
import type { ProgramRow, ProgramVersionRow } from './repo.js';

registerMessages({
  'workspace.program_not_found': { fr: 'Programme introuvable.', en: 'Program not found.' },
  'workspace.program_exists': { fr: 'Un programme « {name} » existe déjà dans ce projet.', en: 'A program “{name}” already exists in this project.' },
});

export interface WorkspaceProgramsDeps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  catalogue: Pick<CatalogService['programs'], 'get'>;
  access: (actor: AnyActor, projectId: string) => Promise<ProjectAccess>;
}

const label = (actor: AnyActor) => (actor.kind === 'user' ? actor.email : `system:${actor.label}`);

function summary(p: ProgramRow) {
  return {
    id: p.id, name: p.name, description: p.description, latestVersion: p.latest_version, updatedAt: p.updated_at.toISOString(), updatedBy: p.updated_by,
    source: p.source_program ? { catalogueProgramId: p.source_program, version: p.source_version ?? 1 } : null,
  };
}

function full(p: ProgramRow, versions: ProgramVersionRow[]) {
  return {
    ...summary(p), createdAt: p.created_at.toISOString(), createdBy: p.created_by,
    versions: versions.map((v) => ({ version: v.version, sql: v.sql, createdAt: v.created_at.toISOString(), createdBy: v.created_by, ...(v.comment ? { comment: v.comment } : {}) })),
  };
}

export class WorkspacePrograms {
  constructor(private readonly deps: WorkspaceProgramsDeps) {}

  async list(actor: AnyActor, projectId: string) {
    await this.deps.access(actor, projectId);
    return (await repo.programs(this.deps.db, projectId)).map(summary);
  }

  async get(actor: AnyActor, projectId: string, programId: string) {
    await this.deps.access(actor, projectId);
    const p = await repo.findProgram(this.deps.db, projectId, programId);
    if (!p) throw new HdhError('workspace.program_not_found', 404);
    return full(p, await repo.programVersions(this.deps.db, p.id));
  }

  /** The SQL of a version (the latest by default), for a job. */
  async source(projectId: string, programId: string, version?: number): Promise<{ program: ProgramRow; version: number; sql: string }> {
    const p = await repo.findProgram(this.deps.db, projectId, programId);
    if (!p) throw new HdhError('workspace.program_not_found', 404);
    const v = await repo.programVersion(this.deps.db, p.id, version ?? p.latest_version);
    if (!v) throw new HdhError('workspace.program_not_found', 404, {}, [{ location: 'body.version', message: `no version ${version}` }]);
    return { program: p, version: v.version, sql: v.sql };
  }

  async create(actor: AnyActor, projectId: string, input: { name: string; description?: string | undefined; sql: string }, source?: { program: string; version: number }) {
    await this.deps.access(actor, projectId);
    const id = crypto.randomUUID();
    await this.deps.db.transaction().execute(async (tx) => {
      if (await repo.programByName(tx, projectId, input.name)) throw new HdhError('workspace.program_exists', 409, { name: input.name }, [{ location: 'body.name', message: 'already used in this project' }]);
      const now = this.deps.clock.now();
      const by = label(actor);
      await repo.insertProgram(tx, { id, project_id: projectId, name: input.name, description: input.description ?? '', latest_version: 1, source_program: source?.program ?? null, source_version: source?.version ?? null, created_at: now, created_by: by, updated_at: now, updated_by: by });
      await repo.insertProgramVersion(tx, { program_id: id, version: 1, sql: input.sql, comment: source ? `copied from the catalogue (${source.program} v${source.version})` : null, created_at: now, created_by: by });
      await this.deps.audit.record(tx, { actor, action: source ? 'workspace.program_import' : 'workspace.program_create', target: { type: 'workspace_program', id }, projectId, details: { name: input.name, sqlSha256: crypto.createHash('sha256').update(input.sql).digest('hex'), ...(source ? { catalogueProgram: source.program, catalogueVersion: source.version } : {}) } });
    });
    return this.get(actor, projectId, id);
  }

  async addVersion(actor: AnyActor, projectId: string, programId: string, input: { sql: string; comment?: string | undefined }) {
    await this.deps.access(actor, projectId);
    await this.deps.db.transaction().execute(async (tx) => {
      const p = await repo.findProgram(tx, projectId, programId, true);
      if (!p) throw new HdhError('workspace.program_not_found', 404);
      const now = this.deps.clock.now();
      const version = p.latest_version + 1;
      await repo.insertProgramVersion(tx, { program_id: p.id, version, sql: input.sql, comment: input.comment ?? null, created_at: now, created_by: label(actor) });
      await repo.updateProgram(tx, p.id, { latest_version: version, updated_at: now, updated_by: label(actor) });
      await this.deps.audit.record(tx, { actor, action: 'workspace.program_version', target: { type: 'workspace_program', id: p.id }, projectId, details: { version, sqlSha256: crypto.createHash('sha256').update(input.sql).digest('hex') } });
    });
    return this.get(actor, projectId, programId);
  }

  /** "Copy a shared program from the catalogue": its current version becomes version 1 here. */
  async importFromCatalogue(actor: AnyActor, projectId: string, slug: string) {
    await this.deps.access(actor, projectId);
    const shared = await this.deps.catalogue.get(slug);
    let name = shared.title;
    for (let n = 2; await repo.programByName(this.deps.db, projectId, name); n++) name = `${shared.title} (${n})`;
    return this.create(actor, projectId, { name, description: shared.description, sql: shared.code }, { program: shared.slug, version: shared.currentVersion });
  }
}
