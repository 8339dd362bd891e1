/** `hdh catalog import <folder>`: import a Frictionless dictionary (schema-snds layout) with a progress bar. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { readDatasetsFile, DATASETS_FILE } from '../catalog/demo-catalogue.js';
import type { ImportProblem, ImportProgress } from '../catalog/service.js';
import { createHub } from '../main.js';
import { systemActor } from '../platform/actor.js';
import { HdhError } from '../platform/errors.js';
import { config } from './main.js';

export function registerCatalogCommands(program: Command): void {
  const catalog = program.command('catalog').description('The data catalogue');

  catalog
    .command('import <folder>')
    .description('Import a folder of Frictionless Table Schemas (schemas/, nomenclatures/, optional datasets.json): all or nothing, versioned')
    .option('--source <name>', 'name of this source (re-imports of the same source record removals); default: the folder name')
    .option('--datasets <file>', `producers and datasets to import with it (default: <folder>/${DATASETS_FILE} when present)`)
    .option('--no-product-datasets', 'do not create a dataset for each product no dataset covers')
    .action(async (folder: string, o: { source?: string; datasets?: string; productDatasets: boolean }) => {
      const datasetsPath = o.datasets ?? path.join(folder, DATASETS_FILE);
      const hub = await createHub(config(), { webDist: null });
      const bar = new cliProgress.SingleBar({ format: '{phase} [{bar}] {value}/{total} {item}', hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
      let phase: ImportProgress['phase'] | null = null;
      try {
        const datasets = fs.existsSync(datasetsPath) ? readDatasetsFile(datasetsPath) : undefined;
        const result = await hub.services.catalog.importFolder(systemActor(`cli:${os.userInfo().username}`), folder, {
          ...(o.source ? { source: o.source } : {}),
          ...(datasets ? { datasets } : {}),
          productDatasets: o.productDatasets,
          onProgress: (p) => {
            if (p.phase !== phase) {
              if (phase) bar.stop();
              phase = p.phase;
              bar.start(p.total, 0, { phase: p.phase.padEnd(13), item: '' });
            }
            bar.update(p.done, { item: p.item ?? '' });
          },
        });
        bar.stop();
        const d = result.diff;
        const line = (name: string, c: { added: number; changed: number; removed: number; unchanged: number }) => `  ${name.padEnd(14)} +${c.added}  ~${c.changed}  -${c.removed}  =${c.unchanged}`;
        console.log(`Imported "${result.source}" in ${(result.durationMs / 1000).toFixed(1)} s — ${result.version ? `catalogue version ${result.version}` : 'no change (no new version)'}`);
        console.log([line('tables', d.tables), line('variables', d.variables), line('joins', d.joins), line('nomenclatures', d.nomenclatures), line('datasets', result.datasets), `  codes loaded   ${d.codes}`].join('\n'));
      } catch (err) {
        bar.stop();
        const problems = err instanceof HdhError ? (err.details as { problems?: ImportProblem[] } | undefined)?.problems : undefined;
        if (problems) for (const p of problems) console.error(`${p.file}${p.pointer ? `#${p.pointer}` : ''}: ${p.message}`);
        throw err;
      } finally {
        await hub.close();
      }
    });

  catalog.command('stats').description('Counts of the catalogue').action(async () => {
    const hub = await createHub(config(), { webDist: null });
    try {
      console.log(await hub.services.catalog.counts());
    } finally {
      await hub.close();
    }
  });
}
