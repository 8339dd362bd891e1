/**
 * A small synthetic SNDS release in a file lake, and the routing of its tables on a cluster as the
 * catalogue gives it (tests of the lake on ClickHouse build it by hand so they do not depend on
 * the catalogue domain; src/extraction/cluster-routing.ts derives the same from the catalogue).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDbEngine } from '../../src/platform/engine/duckdb.js';
import type { TableRouting } from '../../src/platform/lake/clickhouse-lake.js';
import { Lake, type ReleaseManifest } from '../../src/platform/lake/lake.js';
import { FrictionlessCatalogue } from '../../src/synthetic/frictionless.js';
import { generateSndsRelease } from '../../src/synthetic/generator.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const DCIR_KEYS = ['DCT_ORD_NUM', 'FLX_DIS_DTD', 'FLX_EMT_NUM', 'FLX_EMT_ORD', 'FLX_EMT_TYP', 'FLX_TRT_DTD', 'ORG_CLE_NUM', 'PRS_ORD_NUM', 'REM_TYP_AFF'];

/** Routing of the synthetic core: person tables by their pseudonym, the others after their anchor. */
export function syntheticRouting(manifest: ReleaseManifest): Record<string, TableRouting> {
  const out: Record<string, TableRouting> = {};
  for (const t of manifest.tables) {
    const n = t.name;
    if (n === 'ER_PRS_F' || n === 'IR_BEN_R' || n === 'IR_IMB_R') out[n] = { kind: 'person', column: 'BEN_NIR_PSA' };
    else if (n.startsWith('KI_')) out[n] = { kind: 'person', column: 'BEN_IDT_ANO' };
    else if (/^T_MCO\d\dC$/.test(n)) out[n] = { kind: 'person', column: 'NIR_ANO_17' };
    else if (/^T_MCO\d\d/.test(n)) out[n] = { kind: 'anchor', table: `${n.slice(0, 7)}C`, keys: [['ETA_NUM', 'ETA_NUM'], ['RSA_NUM', 'RSA_NUM']] };
    else if (n === 'ER_PHA_F' || n === 'ER_ETE_F') out[n] = { kind: 'anchor', table: 'ER_PRS_F', keys: DCIR_KEYS.map((k) => [k, k]) };
    else out[n] = { kind: 'copy' };
  }
  return out;
}

export interface SyntheticFileLake {
  dir: string;
  lake: Lake;
  /** Generates one more version of the synthetic release. */
  generate(persons: number, seed: number): Promise<ReleaseManifest>;
  remove(): void;
}

export function syntheticFileLake(): SyntheticFileLake {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-cluster-lake-'));
  const lake = new Lake(path.join(dir, 'lake'));
  const catalogue = new FrictionlessCatalogue([path.join(repoRoot, 'data', 'demo-catalogue')]);
  return {
    dir,
    lake,
    generate: async (persons, seed) => (await generateSndsRelease({ lake, engine: new DuckDbEngine(), catalogue }, { persons, fromYear: 2019, toYear: 2020, seed, chunkSize: Math.ceil(persons / 2) })).manifest,
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
