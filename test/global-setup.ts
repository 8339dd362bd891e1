/**
 * Runs once before the suite: migrates a PGlite cluster and dumps it as a template (each test
 * hub loads it in ~0.3 s instead of a 3–7 s init), and on PostgreSQL (HDH_TEST_DATABASE_URL)
 * migrates a template database that each test hub clones.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { openDatabase } from '../src/platform/db/database.js';
import { migrateToLatest } from '../src/platform/db/migrate.js';

/**
 * Names derive from the base database of HDH_TEST_DATABASE_URL, so several checkouts testing on one
 * PostgreSQL server (each with its own base database) never drop each other's databases.
 */
export function testDatabaseNames(url: string): { template: string; prefix: string } {
  const base = decodeURIComponent(new URL(url).pathname.slice(1)).replace(/[^a-z0-9_]/gi, '_').toLowerCase() || 'hdh';
  return { template: `${base}_tpl`, prefix: `${base}_t_` };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplate: string;
    postgresTemplate: string | null;
  }
}

export default async function setup(project: TestProject) {
  const dir = path.resolve('.tmp');
  fs.mkdirSync(dir, { recursive: true });
  const templateFile = path.join(dir, 'pglite-template.tar');
  const lite = await openDatabase({ pgliteDir: 'memory://' });
  await migrateToLatest(lite.db);
  const dump = await lite.pglite!.dumpDataDir('none');
  fs.writeFileSync(templateFile, Buffer.from(await dump.arrayBuffer()));
  await lite.close();
  project.provide('pgliteTemplate', templateFile);

  const url = process.env.HDH_TEST_DATABASE_URL;
  project.provide('postgresTemplate', url ? await preparePostgresTemplate(url) : null);
}

async function preparePostgresTemplate(url: string): Promise<string> {
  const names = testDatabaseNames(url);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    // Leftovers of an interrupted run would block the template drop.
    const { rows } = await admin.query<{ datname: string }>('select datname from pg_database where starts_with(datname, $1)', [names.prefix]);
    for (const r of rows) await admin.query(`drop database if exists "${r.datname}" with (force)`);
    await admin.query(`drop database if exists ${names.template} with (force)`);
    await admin.query(`create database ${names.template}`);
  } finally {
    await admin.end();
  }
  const templateUrl = withDatabase(url, names.template);
  const database = await openDatabase({ databaseUrl: templateUrl, poolSize: 1 });
  await migrateToLatest(database.db);
  await database.close();
  return templateUrl;
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
