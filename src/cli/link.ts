/**
 * `hdh link …`: record linkage from the command line — a probabilistic run on local files, a
 * deterministic run on two lake tables, the runs and their reports, and a synthetic truth set
 * to try it on (with `--truth`, precision, recall and F1 of the run).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { createHub, type Hub } from '../main.js';
import { systemActor } from '../platform/actor.js';
import { DuckDbEngine } from '../platform/engine/duckdb.js';
import { quoteLiteral } from '../platform/engine/engine.js';
import { checkNir } from '../platform/identifiers/nir.js';
import { blockingRuleKeys } from '../linkage/comparisons.js';
import { LINKAGE_TABLE } from '../linkage/probabilistic.js';
import type { ProbabilisticReport, RunView, SettingsInput } from '../linkage/schema.js';
import { evaluateLinks, generateTruthSet, writeTruthSetCsv } from '../linkage/truth-set.js';
import { Lake } from '../platform/lake/lake.js';
import { config } from './main.js';

function parseInteger(value: string): number {
  const n = Number(value.replace(/_/g, ''));
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`"${value}" is not a non-negative integer`);
  return n;
}

function parseProbability(value: string): number {
  const p = Number(value);
  if (!(p > 0 && p < 1)) throw new InvalidArgumentError(`"${value}" is not a probability strictly between 0 and 1`);
  return p;
}

/** `nir=NIR_BEN,lastName=NOM` → a column mapping. */
function parseColumns(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of value.split(',').filter(Boolean)) {
    const [k, v] = pair.split('=');
    if (!k || !v) throw new InvalidArgumentError(`"${pair}" is not field=column`);
    out[k.trim()] = v.trim();
  }
  return out;
}

/** `release@version:TABLE[.COLUMN]` → one side of a deterministic run. */
export function parseLakeColumn(value: string): { release: string; version: number; table: string; column: string } {
  const m = /^([a-z0-9][a-z0-9-]*)@(\d+):([A-Za-z0-9_]+)(?:\.([A-Za-z0-9_]+))?$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError(`"${value}" is not release@version:TABLE[.COLUMN]`);
  return { release: m[1]!, version: Number(m[2]), table: m[3]!, column: m[4] ?? 'BEN_NIR_PSA' };
}

function operator() {
  return systemActor(`cli:${os.userInfo().username}`);
}

async function withHub<T>(fn: (hub: Hub) => Promise<T>): Promise<T> {
  const hub = await createHub(config(), { webDist: null });
  try {
    return await fn(hub);
  } finally {
    await hub.close();
  }
}

const pct = (x: number) => `${(100 * x).toFixed(2)} %`;

function printRun(run: RunView): void {
  console.log(`Run ${run.id} (${run.kind}) — ${run.status}${run.error ? `: ${run.error.code}: ${run.error.message}` : ''}`);
  console.log(`  ${run.description}`);
  const r = run.report;
  if (!r) return;
  if (r.kind === 'deterministic') {
    for (const side of [r.left, r.right]) {
      console.log(`  ${side.release} v${side.version} ${side.table}.${side.column}: ${side.rows} rows, ${side.persons} people, ${side.matchedPersons} matched (${pct(side.matchRate)}), ${side.unmatchedPersons} unmatched, ${side.nullRows} rows without pseudonym`);
    }
    return;
  }
  printProbabilistic(r);
}

function printProbabilistic(r: ProbabilisticReport): void {
  const excluded = Object.entries(r.reference.nirExcluded).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ');
  console.log(`  reference ${r.reference.file}: ${r.reference.rows} rows, ${r.reference.persons} people${excluded ? ` (left out: ${excluded})` : ''}`);
  console.log(`  source ${r.source.file}: ${r.source.records} records`);
  console.log(`  blocking: ${r.blocking.map((b) => `${b.rule} ${b.pairs}`).join(', ')} → ${r.pairsScored} pairs scored`);
  console.log(`  links ${r.links}: match rate ${pct(r.matchRate)} of the source, estimated precision ${pct(r.estimatedPrecision)}, estimated recall ${pct(r.estimatedRecall)}`);
  console.log(`  model: λ ${r.model.lambda.toExponential(3)}, ${r.model.patterns} patterns; threshold p ≥ ${r.settings.threshold} (weight ≥ ${r.settings.thresholdWeight.toFixed(2)})`);
  for (const c of r.model.comparisons) console.log(`    ${c.key.padEnd(11)} ${c.levels.filter((l) => l.key !== 'null').map((l) => `${l.key} ${l.weight >= 0 ? '+' : ''}${l.weight.toFixed(1)}`).join(' | ')}`);
  console.log(`  comparison: ${Math.round(r.pairsPerSecondPerCore).toLocaleString('en')} pairs per CPU-second; total ${(r.durationMs.total / 1000).toFixed(1)} s`);
  console.log(`  release ${r.release.name} v${r.release.version} (table ${r.release.table})`);
}

export function registerLinkCommands(program: Command): void {
  const link = program.command('link').description('Record linkage (the hub as trusted third party)');

  link
    .command('probabilistic')
    .description('Link a source without NIR (e.g. a registry) to a reference with NIR (Fellegi–Sunter); publishes a linkage table into the lake')
    .requiredOption('--reference <file>', 'CSV or Parquet: NIR and identity traits (columns nir, last_name, first_name, sex, birth_date, commune)')
    .requiredOption('--source <file>', 'CSV or Parquet: record id and traits (columns id, last_name, first_name, sex, birth_date, commune)')
    .requiredOption('--output <release>', 'lake release name of the linkage table')
    .option('--reference-columns <map>', 'column names, e.g. nir=NIR_BEN,lastName=NOM', parseColumns)
    .option('--source-columns <map>', 'column names, e.g. id=NUM_ENR,birthDate=DATE_NAIS', parseColumns)
    .option('--threshold <p>', 'match probability a link needs', parseProbability)
    .option('--u <method>', 'u from random_pairs (default) or em')
    .option('--no-tf', 'no term-frequency adjustment on last names')
    .option('--blocking <rules>', `blocking rules, comma-separated (${blockingRuleKeys.join(', ')})`)
    .option('--truth <file>', 'truth CSV (id,nir) of a synthetic set: print precision, recall and F1')
    .action(async (o: { reference: string; source: string; output: string; referenceColumns?: Record<string, string>; sourceColumns?: Record<string, string>; threshold?: number; u?: string; tf: boolean; blocking?: string; truth?: string }) => {
      if (o.u && o.u !== 'em' && o.u !== 'random_pairs') throw new InvalidArgumentError('--u is random_pairs or em');
      const rules = o.blocking?.split(',').map((r) => r.trim());
      for (const r of rules ?? []) if (!(blockingRuleKeys as string[]).includes(r)) throw new InvalidArgumentError(`unknown blocking rule "${r}"`);
      const settings: SettingsInput = {
        ...(o.threshold !== undefined ? { threshold: o.threshold } : {}),
        ...(o.u ? { uEstimation: o.u as 'em' | 'random_pairs' } : {}),
        termFrequency: o.tf,
        ...(rules ? { blocking: rules } : {}),
      };
      await withHub(async (hub) => {
        const started = Date.now();
        const run = await hub.services.linkage.runLocal(
          operator(),
          { output: o.output, reference: { path: o.reference, ...(o.referenceColumns ? { columns: o.referenceColumns } : {}) }, source: { path: o.source, ...(o.sourceColumns ? { columns: o.sourceColumns } : {}) }, settings },
          (phase) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${phase}`),
        );
        printRun(run);
        if (run.status !== 'succeeded') process.exitCode = 1;
        else if (o.truth && run.report?.kind === 'probabilistic') await printQuality(hub, run.report, o.truth);
      });
    });

  link
    .command('deterministic <left> <right>')
    .description('Link two lake tables on their pseudonym column: release@version:TABLE[.COLUMN] (column BEN_NIR_PSA by default)')
    .action(async (left: string, right: string) => {
      const l = parseLakeColumn(left);
      const r = parseLakeColumn(right);
      await withHub(async (hub) => {
        const run = await hub.services.linkage.runDeterministic(operator(), l, r);
        printRun(run);
        if (run.status !== 'succeeded') process.exitCode = 1;
      });
    });

  link.command('runs').description('Linkage runs, newest first').action(async () => {
    await withHub(async (hub) => {
      for (const r of await hub.services.linkage.list(operator())) {
        console.log(`${r.createdAt.slice(0, 19)}  ${r.id}  ${r.kind.padEnd(13)} ${r.status.padEnd(9)} ${r.links ?? ''}  ${r.description}`);
      }
    });
  });

  link
    .command('report <id>')
    .description('A run and its quality report')
    .option('--json', 'print as JSON')
    .action(async (id: string, o: { json?: boolean }) => {
      await withHub(async (hub) => {
        const run = await hub.services.linkage.get(operator(), id);
        if (o.json) console.log(JSON.stringify(run, null, 2));
        else printRun(run);
      });
    });

  link
    .command('truth-set')
    .description('Write a synthetic truth set: reference.csv (NIR + traits), source.csv (corrupted copies, no NIR), truth.csv (id,nir)')
    .requiredOption('--out <dir>', 'folder to write into')
    .option('--reference-people <n>', 'people in the reference', parseInteger, 5000)
    .option('--source-records <n>', 'records in the source', parseInteger, 5000)
    .option('--overlap <share>', 'share of source records that are reference people', parseProbability, 0.8)
    .option('--seed <n>', 'seed', parseInteger, 1)
    .action((o: { out: string; referencePeople: number; sourceRecords: number; overlap: number; seed: number }) => {
      const set = generateTruthSet({ referencePeople: o.referencePeople, sourceRecords: o.sourceRecords, overlap: o.overlap, seed: o.seed });
      const files = writeTruthSetCsv(set, o.out);
      const truth = path.join(o.out, 'truth.csv');
      fs.writeFileSync(truth, ['id,nir', ...[...set.truth].map(([id, nir]) => `${id},${nir}`)].join('\n') + '\n');
      console.log(`Synthetic people only. Written ${files.reference} (${set.reference.length}), ${files.source} (${set.source.length}), ${truth} (${set.truth.size} true links)`);
    });
}

/** Compares the published links with a truth file (synthetic NIRs, pseudonymised under the run's key). */
async function printQuality(hub: Hub, report: ProbabilisticReport, truthFile: string): Promise<void> {
  const rows = fs.readFileSync(truthFile, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  const pseudonymiser = await hub.pseudonyms.open('linkage:evaluation', operator().label, report.key);
  const nir13 = rows.map(([, nir]) => {
    const check = checkNir(nir ?? '');
    if (!check.ok) throw new InvalidArgumentError(`invalid NIR in ${truthFile}`);
    return check.nir;
  });
  const pseudonyms = pseudonymiser.pseudonymise(nir13);
  const truth = new Map(rows.map(([id], i) => [id!, pseudonyms[i]!]));
  const lake = new Lake(hub.config.lakeDir);
  const files = lake.tableFiles(lake.readManifest(report.release.name, report.release.version)!, LINKAGE_TABLE)!;
  const session = await new DuckDbEngine().open({ threads: 1 });
  try {
    const links = new Map((await session.query(`SELECT pseudonym, source_record_id FROM read_parquet([${files.map(quoteLiteral).join(', ')}])`)).map((r) => [String(r.source_record_id), String(r.pseudonym)]));
    const q = evaluateLinks(links, truth);
    console.log(`  against the truth: precision ${pct(q.precision)}, recall ${pct(q.recall)}, F1 ${q.f1.toFixed(4)} (${q.truePositives} true, ${q.falsePositives} false links, ${q.falseNegatives} missed)`);
  } finally {
    await session.close();
  }
}
