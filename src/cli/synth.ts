/** `hdh synth`: generate a synthetic SNDS release into the lake, with a progress bar. */
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { repoRoot } from '../main.js';
import { systemActor } from '../platform/actor.js';
import { systemClock } from '../platform/clock.js';
import { DuckDbEngine } from '../platform/engine/duckdb.js';
import { Lake } from '../platform/lake/lake.js';
import { SyntheticService } from '../synthetic/service.js';
import { config } from './main.js';

function parseInteger(value: string): number {
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isSafeInteger(n)) throw new InvalidArgumentError(`"${value}" is not an integer`);
  return n;
}

export function parseYears(value: string): { fromYear: number; toYear: number } {
  const m = /^(\d{4})(?:-(\d{4}))?$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError(`"${value}" is not a year or a range like 2019-2021`);
  return { fromYear: Number(m[1]), toYear: Number(m[2] ?? m[1]) };
}

export function registerSynthCommand(program: Command): void {
  program
    .command('synth')
    .description('Generate a synthetic SNDS release (Parquet + manifest) into the lake')
    .option('--persons <n>', 'number of people (SNDS core)', parseInteger)
    .option('--tables <names>', 'instead of the SNDS core: schema-valid data for these tables (comma-separated) and their foreign-key parents')
    .option('--rows <n>', 'rows per table with --tables', parseInteger, 1000)
    .option('--years <range>', 'care years, e.g. 2019-2021', parseYears, { fromYear: 2019, toYear: 2021 })
    .option('--seed <n>', 'seed: same seed and parameters give byte-identical Parquet', parseInteger, 1)
    .option('--out <dir>', 'lake folder (default: HDH_LAKE_DIR or <data dir>/lake)')
    .option('--schemas <dirs>', 'extra Frictionless roots (schemas/ + nomenclatures/), comma-separated, after the demo catalogue')
    .option('--workers <n>', 'parallel DuckDB sessions', parseInteger, 2)
    .action(async (o: { persons?: number; tables?: string; rows: number; years: { fromYear: number; toYear: number }; seed: number; out?: string; schemas?: string; workers: number }) => {
      const lakeDir = path.resolve(o.out ?? config().lakeDir);
      const roots = [path.join(repoRoot, 'data', 'demo-catalogue'), ...(o.schemas ? o.schemas.split(',').map((d) => path.resolve(d)) : [])];
      const service = new SyntheticService({ lake: new Lake(lakeDir), engine: new DuckDbEngine(), catalogueRoots: roots, clock: systemClock });
      if (o.tables) {
        const result = await service.generateGeneric(systemActor(`cli:${process.env.USER ?? 'operator'}`), { tables: o.tables.split(',').map((t) => t.trim()), rows: o.rows, seed: o.seed, ...o.years });
        console.log(`Release ${result.manifest.name} v${result.manifest.version} in ${lakeDir}: ${Object.entries(result.rows).map(([t, n]) => `${t} ${n}`).join(', ')}`);
        return;
      }
      if (o.persons === undefined) throw new InvalidArgumentError('--persons (SNDS core) or --tables (any schema) is required');
      const persons = o.persons;
      const bar = new cliProgress.SingleBar({ format: 'synth |{bar}| {value}/{total} people | {eta_formatted} left', hideCursor: true }, cliProgress.Presets.shades_classic);
      bar.start(persons, 0);
      try {
        const result = await service.generate(systemActor(`cli:${process.env.USER ?? 'operator'}`), { persons, ...o.years, seed: o.seed, workers: o.workers }, (p) => bar.update(p.personsDone));
        bar.stop();
        const total = Object.values(result.rows).reduce((s, n) => s + n, 0);
        console.log(`Release ${result.manifest.name} v${result.manifest.version} in ${lakeDir} — ${total.toLocaleString('en')} rows in ${result.seconds.toFixed(1)} s`);
        for (const [table, rows] of Object.entries(result.rows)) console.log(`  ${table.padEnd(12)} ${rows.toLocaleString('en').padStart(14)}`);
      } catch (err) {
        bar.stop();
        throw err;
      }
    });
}
