/** `hdh ingest <table> <file>`: validate, pseudonymise and publish a producer's file, with a progress bar. */
import os from 'node:os';
import cliProgress from 'cli-progress';
import { InvalidArgumentError, type Command } from 'commander';
import type { LoadMode, LoadProgress } from '../ingest/service.js';
import type { LoadPolicy } from '../ingest/pipeline.js';
import { createHub } from '../main.js';
import { systemActor } from '../platform/actor.js';
import { config } from './main.js';

const choice = <T extends string>(values: readonly T[]) => (value: string): T => {
  if (!values.includes(value as T)) throw new InvalidArgumentError(`expected one of ${values.join(', ')}`);
  return value as T;
};

export function registerIngestCommand(program: Command): void {
  program
    .command('ingest <table> <file>')
    .description('Load a CSV or Parquet file into a catalogue table: validate against its schema, pseudonymise NIRs, publish a release')
    .option('--policy <policy>', 'reject: any bad row rejects the file; quarantine: bad rows are set aside', choice(['reject', 'quarantine'] as const), 'reject')
    .option('--mode <mode>', 'replace: the release is the whole table; append: adds to the previous release', choice(['replace', 'append'] as const), 'replace')
    .option('--no-publish', 'validate only: print the report, keep the load for publication from the web UI')
    .action(async (table: string, file: string, o: { policy: LoadPolicy; mode: LoadMode; publish: boolean }) => {
      const hub = await createHub(config(), { webDist: null });
      const actor = systemActor(`cli:${os.userInfo().username}`);
      const bar = new cliProgress.SingleBar({ format: '{phase} [{bar}] {value}/{total}', hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
      let phase: LoadProgress['phase'] | null = null;
      try {
        const load = await hub.services.ingest.loadFile(actor, table, file, { policy: o.policy, mode: o.mode }, (p) => {
          if (p.phase !== phase) {
            if (phase === 'pseudonymise') bar.stop();
            phase = p.phase;
            if (p.phase === 'pseudonymise') bar.start(p.total ?? 0, 0, { phase: 'pseudonymise' });
            else if (p.phase !== 'done') console.log(`… ${p.phase}`);
          } else if (p.phase === 'pseudonymise') bar.update(p.done ?? 0);
        });
        bar.stop();
        const r = load.report;
        if (r) {
          console.log(`${load.table_name} ← ${load.file_name}: ${r.rowsRead} rows read, ${r.rowsValid} valid, ${r.rowsRejected} rejected; ${r.nir.distinct} distinct NIRs pseudonymised, ${r.nir.invalid} invalid`);
          for (const e of r.fileErrors) console.error(`${file}: ${e.message}`);
          for (const rule of r.rules) console.log(`  ${rule.rule.padEnd(14)} ${String(rule.column ?? '').padEnd(24)} ${rule.count}`);
          for (const s of r.samples.slice(0, 20)) for (const p of s.problems) console.error(`${file}:${s.line}: ${p.column ?? ''}: ${p.rule}${p.value !== null ? ` (${p.value})` : ''}`);
        }
        if (load.status !== 'validated') {
          console.error(`Load ${load.id} ${load.status}${load.error ? `: ${load.error}` : ''}; nothing was published.`);
          process.exitCode = 1;
          return;
        }
        if (!o.publish) {
          console.log(`Load ${load.id} validated; publish it from the web UI or rerun without --no-publish.`);
          return;
        }
        const { release } = await hub.services.ingest.publish(actor, load.id);
        console.log(`Published release ${release.name} v${release.version}: ${release.tables[0]!.rows} rows.`);
      } finally {
        bar.stop();
        await hub.close();
      }
    });
}
