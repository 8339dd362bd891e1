/** `hdh` — the hub's command line: start, migrate, users, audit, secrets, bench. */
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig, type HubConfig } from '../config.js';
import { DatabaseUnavailableError, openDatabase } from '../platform/db/database.js';
import { MigrationError, migrateToLatest } from '../platform/db/migrate.js';
import { SecretsError, generateSecrets } from '../platform/crypto/secrets.js';
import { HdhError } from '../platform/errors.js';
import { roles, type Role } from '../platform/actor.js';
import { registerAuditCommands } from './audit.js';
import { registerCatalogCommands } from './catalog.js';
import { registerUserCommands } from './users.js';
import { registerSynthCommand } from './synth.js';
import { registerIngestCommand } from './ingest.js';
import { registerLinkCommands } from './link.js';
import { startServer } from './start.js';
import fs from 'node:fs';
import path from 'node:path';

export function config(): HubConfig {
  return loadConfig();
}

export function parseRoles(value: string): Role[] {
  const list = value.split(',').map((r) => r.trim()).filter(Boolean);
  for (const r of list) if (!(roles as readonly string[]).includes(r)) throw new InvalidArgumentError(`unknown role "${r}" (one of ${roles.join(', ')})`);
  return list as Role[];
}

export async function main(argv: string[]): Promise<void> {
  const program = new Command('hdh').description('Health Data Hub').showHelpAfterError();

  program.command('start').description('Serve the hub (web UI and JSON API)').action(async () => {
    await startServer(config());
  });

  program.command('migrate').description('Apply pending database migrations and exit').action(async () => {
    const cfg = config();
    const database = await openDatabase({ databaseUrl: cfg.databaseUrl, pgliteDir: path.join(cfg.dataDir, 'pglite') });
    try {
      const applied = await migrateToLatest(database.db);
      console.log(applied.length ? `Applied ${applied.length} migration(s):\n  ${applied.join('\n  ')}` : 'Database is up to date.');
    } finally {
      await database.close();
    }
  });

  program
    .command('secrets-init')
    .description('Write a new secrets file (HDH_SECRETS_FILE) for a production hub')
    .option('--force', 'overwrite an existing file (old keys are lost: pseudonyms change)')
    .action((opts: { force?: boolean }) => {
      const cfg = config();
      if (fs.existsSync(cfg.secretsFile) && !opts.force) throw new SecretsError(`${cfg.secretsFile} exists; pass --force to replace it`);
      fs.mkdirSync(path.dirname(cfg.secretsFile), { recursive: true });
      fs.writeFileSync(cfg.secretsFile, JSON.stringify(generateSecrets(), null, 2), { mode: 0o600 });
      console.log(`Secrets written to ${cfg.secretsFile} (mode 0600). Back it up apart from the database.`);
    });

  registerUserCommands(program);
  registerAuditCommands(program);
  registerSynthCommand(program);
  registerCatalogCommands(program);
  registerIngestCommand(program);
  registerLinkCommands(program);

  program
    .command('bench [names...]')
    .description('Run benchmarks and write docs/benchmarks.md')
    .action(async (names: string[]) => {
      const { runBenchmarks } = await import('../../bench/run.js');
      await runBenchmarks(names);
    });

  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = reportFatal(err);
  }
}

/** Prints a clear message for the errors a user can fix, and returns the exit code. */
export function reportFatal(err: unknown): number {
  if (err instanceof ConfigError || err instanceof DatabaseUnavailableError || err instanceof SecretsError || err instanceof MigrationError) {
    console.error(`hdh: ${err.message}`);
    return 2;
  }
  if (err instanceof HdhError) {
    console.error(`hdh: ${err.code}: ${err.message}`);
    return 1;
  }
  console.error(err);
  return 1;
}
