/**
 * The synthetic truth set, and the whole probabilistic pipeline measured on it: precision, recall
 * and F1 of the links against the truth, for u from random pairs and u by EM, and the one-to-one
 * resolution against a plain greedy matching.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacHexBatch } from '../platform/crypto/pseudonym.js';
import { DuckDbEngine } from '../platform/engine/duckdb.js';
import { checkNir, isValidNir } from '../platform/identifiers/nir.js';
import { Lake } from '../platform/lake/lake.js';
import { DEFAULT_REFERENCE_COLUMNS, DEFAULT_SOURCE_COLUMNS } from './prepare.js';
import { DEFAULT_SETTINGS, LINKAGE_TABLE, resolveOneToOne, runProbabilisticLinkage, type ProbabilisticSettings } from './probabilistic.js';
import type { ProbabilisticReport } from './schema.js';
import { evaluateLinks, generateTruthSet, seededRandom, typo, writeTruthSetCsv, type LinkageQuality, type TruthSet } from './truth-set.js';

const engine = new DuckDbEngine();
const key = crypto.randomBytes(32);
const pseudonymise = (values: readonly string[]) => hmacHexBatch(key, values);

describe('synthetic truth set', () => {
  it('is deterministic for a seed, with valid unique NIRs and the asked overlap', () => {
    const a = generateTruthSet({ referencePeople: 2000, sourceRecords: 1000, seed: 5 });
    const b = generateTruthSet({ referencePeople: 2000, sourceRecords: 1000, seed: 5 });
    expect(b).toEqual(a);
    expect(generateTruthSet({ referencePeople: 2000, sourceRecords: 1000, seed: 6 }).reference[0]).not.toEqual(a.reference[0]);
    expect(a.reference.every((p) => isValidNir(p.nir))).toBe(true);
    expect(new Set(a.reference.map((p) => p.nir)).size).toBe(2000);
    expect(a.truth.size).toBe(800);
    expect(new Set(a.source.map((r) => r.id)).size).toBe(1000);
  });

  it('corrupts copies: typos, swaps, missing values, moved communes — about as often as asked', () => {
    const set = generateTruthSet({ referencePeople: 20_000, sourceRecords: 10_000, seed: 9 });
    const byNir = new Map(set.reference.map((p) => [p.nir, p]));
    let lastNameChanged = 0;
    let swapped = 0;
    let missingDate = 0;
    let communeChanged = 0;
    for (const r of set.source) {
      const p = byNir.get(set.truth.get(r.id) ?? '');
      if (!p) continue;
      if (r.lastName !== null && r.lastName !== p.lastName) lastNameChanged++;
      if (r.lastName === p.firstName && r.firstName === p.lastName) swapped++;
      if (r.birth === null) missingDate++;
      if (r.commune !== null && r.commune !== p.commune) communeChanged++;
    }
    const n = set.truth.size;
    expect(lastNameChanged / n).toBeGreaterThan(0.1);
    expect(lastNameChanged / n).toBeLessThan(0.2);
    expect(swapped / n).toBeGreaterThan(0.01);
    expect(missingDate / n).toBeGreaterThan(0.01);
    expect(communeChanged / n).toBeGreaterThan(0.08);
    const random = seededRandom(1);
    expect(typo('DUPONTEL', random)).not.toBe('DUPONTEL');
  });

  it('evaluates links: precision, recall, F1', () => {
    const truth = new Map([['a', 'p1'], ['b', 'p2'], ['c', 'p3'], ['d', 'p4']]);
    const q = evaluateLinks(new Map([['a', 'p1'], ['b', 'p2'], ['c', 'p9'], ['x', 'p5']]), truth);
    expect(q).toMatchObject({ truePositives: 2, falsePositives: 2, falseNegatives: 2, precision: 0.5, recall: 0.5, f1: 0.5 });
  });
});

describe('probabilistic linkage measured on the truth set (5,000 × 5,000)', () => {
  let dir: string;
  let set: TruthSet;
  let files: { reference: string; source: string };
  let truth: Map<string, string>;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-linkage-'));
    set = generateTruthSet({ referencePeople: 5000, sourceRecords: 5000, seed: 2024 });
    files = writeTruthSetCsv(set, path.join(dir, 'in'));
    truth = new Map([...set.truth].map(([id, nir]) => [id, pseudonymise([(checkNir(nir) as { nir: string }).nir])[0]!]));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function link(name: string, settings: Partial<ProbabilisticSettings> = {}): Promise<{ report: ProbabilisticReport; quality: LinkageQuality; lake: Lake }> {
    const lake = new Lake(path.join(dir, 'lake'));
    const workDir = path.join(dir, `work-${name}`);
    fs.mkdirSync(workDir);
    const report = await runProbabilisticLinkage(
      { engine, lake, now: () => new Date() },
      {
        reference: { path: files.reference, format: 'csv', label: 'reference.csv' },
        referenceColumns: DEFAULT_REFERENCE_COLUMNS,
        source: { path: files.source, format: 'csv', label: 'source.csv' },
        sourceColumns: DEFAULT_SOURCE_COLUMNS,
        settings: { ...DEFAULT_SETTINGS, ...settings },
        workDir,
        outputName: name,
        pseudonymise,
        key: { id: 'test', version: 1 },
        threads: 2,
        memoryLimit: '1GB',
      },
    );
    const manifest = lake.readManifest(report.release.name, report.release.version)!;
    const s = await engine.open({ threads: 1 });
    try {
      const rows = await s.query(`SELECT pseudonym, source_record_id FROM read_parquet('${lake.tableFiles(manifest, LINKAGE_TABLE)![0]}')`);
      const links = new Map(rows.map((r) => [String(r.source_record_id), String(r.pseudonym)]));
      return { report, quality: evaluateLinks(links, truth), lake };
    } finally {
      await s.close();
    }
  }

  it('default model (u from random pairs, TF on last names): F1 ≥ 0.97, precision ≥ 0.99; the report is consistent', async () => {
    const { report, quality, lake } = await link('linkage-default');
    console.info(`[linkage truth set 5k×5k, u random pairs] precision ${quality.precision.toFixed(4)} recall ${quality.recall.toFixed(4)} F1 ${quality.f1.toFixed(4)}; ${report.pairsScored} pairs; estimated precision ${report.estimatedPrecision.toFixed(4)}`);
    expect(quality.f1).toBeGreaterThanOrEqual(0.97);
    expect(quality.precision).toBeGreaterThanOrEqual(0.99);
    expect(report.links).toBe(quality.truePositives + quality.falsePositives);
    expect(report.source.records).toBe(5000);
    expect(report.reference.persons).toBe(5000);
    expect(report.blocking.reduce((s, b) => s + b.pairs, 0)).toBe(report.pairsScored);
    expect(report.histogram.reduce((s, b) => s + b.pairs, 0)).toBe(report.pairsScored);
    expect(report.histogram.reduce((s, b) => s + b.links, 0)).toBe(report.links);
    // The model's own estimate of its precision is close to the measured one.
    expect(Math.abs(report.estimatedPrecision - quality.precision)).toBeLessThan(0.02);
    // Exact agreement on a birth date weighs much more than agreement on sex.
    const weight = (c: string, l: string) => report.model.comparisons.find((x) => x.key === c)!.levels.find((x) => x.key === l)!.weight;
    expect(weight('birth_date', 'exact')).toBeGreaterThan(10);
    expect(weight('sex', 'exact')).toBeLessThan(2);
    // Published: a manifest with the linkage table, marked non-synthetic, naming the key version.
    const manifest = lake.readManifest(report.release.name, report.release.version)!;
    expect(manifest.synthetic).toBe(false);
    expect(manifest.tables[0]).toMatchObject({ name: LINKAGE_TABLE, rows: report.links });
    expect(manifest.generator?.parameters.key).toEqual({ id: 'test', version: 1 });
  });

  // u by EM is the less robust choice on a small file (few non-matches per blocking session to learn u from): reported, with a lower bar.
  it('u by EM and without term-frequency adjustment still link (reported for comparison)', async () => {
    const em = await link('linkage-em', { uEstimation: 'em' });
    const noTf = await link('linkage-notf', { termFrequency: false });
    console.info(`[linkage truth set 5k×5k] u by EM: F1 ${em.quality.f1.toFixed(4)}; without TF: F1 ${noTf.quality.f1.toFixed(4)}`);
    expect(em.quality.f1).toBeGreaterThanOrEqual(0.9);
    expect(em.quality.precision).toBeGreaterThanOrEqual(0.99);
    expect(noTf.quality.f1).toBeGreaterThanOrEqual(0.95);
  });

  it('a stricter threshold trades recall for precision', async () => {
    const strict = await link('linkage-strict', { threshold: 0.999 });
    const loose = await link('linkage-loose', { threshold: 0.05 });
    expect(strict.quality.precision).toBeGreaterThanOrEqual(loose.quality.precision);
    expect(strict.quality.recall).toBeLessThan(loose.quality.recall);
  });
});

describe('one-to-one resolution', () => {
  it('equals the greedy best-first matching (each record and person used once) on random candidate graphs', async () => {
    const s = await engine.open({ threads: 2 });
    try {
      const random = seededRandom(77);
      for (let trial = 0; trial < 5; trial++) {
        const cand = new Map<string, { s: number; p: number; w: number }>();
        for (let k = 0; k < 400; k++) {
          const c = { s: Math.floor(random() * 120), p: Math.floor(random() * 100), w: Math.round(random() * 40) / 2 };
          cand.set(`${c.s}/${c.p}`, c);
        }
        const list = [...cand.values()];
        await s.run(`CREATE OR REPLACE TABLE cand AS SELECT * FROM (VALUES ${list.map((c) => `(${c.s}, ${c.p}, ${c.w})`).join(', ')}) t(s_row, p_id, w)`);
        await resolveOneToOne(s);
        const got = (await s.query('SELECT s_row, p_id FROM links ORDER BY s_row')).map((r) => `${String(r.s_row)}/${String(r.p_id)}`);
        // Greedy: best weight first, ties by person then record (the pipeline's strict order).
        const usedS = new Set<number>();
        const usedP = new Set<number>();
        const greedy: string[] = [];
        for (const c of [...list].sort((a, b) => b.w - a.w || a.p - b.p || a.s - b.s)) {
          if (usedS.has(c.s) || usedP.has(c.p)) continue;
          usedS.add(c.s);
          usedP.add(c.p);
          greedy.push(`${c.s}/${c.p}`);
        }
        expect(got.sort()).toEqual(greedy.sort());
      }
    } finally {
      await s.close();
    }
  });
});
