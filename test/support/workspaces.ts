/**
 * Fixtures for the extraction and workspace tests: a synthetic lake release, a perimeter over
 * the SNDS core (beneficiaries, DCIR, PMSI MCO, causes of death), and a project driven by the
 * demo cast from draft to active (EGB route: the shortest), its extraction run at provisioning.
 */
import path from 'node:path';
import { systemActor } from '../../src/platform/actor.js';
import { DuckDbEngine } from '../../src/platform/engine/duckdb.js';
import type { EngineRow } from '../../src/platform/engine/engine.js';
import type { TestClient, TestHub } from './hub.js';
import { act, type Cast, completeDraft } from './projects.js';

export const sndsPerimeter = {
  datasets: ['BENEFICIAIRE', 'DCIR', 'PMSI', 'Causes de décès', 'DCIR_DCIRS'],
  tables: [
    { name: 'IR_BEN_R', columns: ['BEN_NIR_PSA', 'BEN_RNG_GEM', 'BEN_IDT_ANO', 'BEN_SEX_COD', 'BEN_NAI_ANN', 'BEN_DCD_DTE'] },
    { name: 'ER_PRS_F', columns: ['DCT_ORD_NUM', 'FLX_DIS_DTD', 'FLX_EMT_NUM', 'FLX_EMT_ORD', 'FLX_EMT_TYP', 'FLX_TRT_DTD', 'ORG_CLE_NUM', 'PRS_ORD_NUM', 'REM_TYP_AFF', 'BEN_NIR_PSA', 'BEN_RNG_GEM', 'EXE_SOI_DTD', 'PRS_NAT_REF', 'PRS_ACT_QTE', 'PSE_SPE_COD', 'DPN_QLF', 'PRS_DPN_QLP', 'CPL_MAJ_TOP', 'CPL_AFF_COD'] },
    { name: 'ER_PHA_F', columns: ['DCT_ORD_NUM', 'FLX_DIS_DTD', 'FLX_EMT_NUM', 'FLX_EMT_ORD', 'FLX_EMT_TYP', 'FLX_TRT_DTD', 'ORG_CLE_NUM', 'PRS_ORD_NUM', 'REM_TYP_AFF', 'PHA_PRS_C13', 'PHA_ACT_QSN'] },
    { name: 'IR_PHA_R', columns: ['PHA_CIP_C13', 'PHA_ATC_C03', 'PHA_ATC_L03', 'PHA_ATC_C07'] },
    { name: 'T_MCOaaB', columns: ['ETA_NUM', 'RSA_NUM', 'DGN_PAL', 'DGN_REL', 'GRG_GHM', 'SEJ_TYP', 'SOR_ANN', 'SOR_MOI', 'SOR_MOD'] },
    { name: 'T_MCOaaC', columns: ['ETA_NUM', 'RSA_NUM', 'NIR_ANO_17', 'NIR_RET', 'NAI_RET', 'SEX_RET', 'SEJ_RET', 'FHO_RET', 'PMS_RET', 'DAT_RET', 'EXE_SOI_DTF'] },
    { name: 'KI_CCI_R', columns: ['BEN_IDT_ANO', 'FLX_PER_ANN', 'DCD_CIM_COD', 'BEN_DCD_DTE'] },
  ],
  period: { from: '2019-01-01', to: '2020-12-31' },
  population: { description: 'Toute la population du SNDS synthétique', inclusion: [], exclusion: [] },
  durationMonths: 24,
};

/** A small synthetic release (people × 2019–2021) in the hub's lake. */
export async function syntheticLake(t: TestHub, persons = 1500): Promise<void> {
  await t.hub.services.synthetic.generate(systemActor('test'), { persons, fromYear: 2019, toYear: 2021, seed: 20, chunkSize: persons, workers: 1 });
}

export async function activeProject(t: TestHub, cast: Cast, options: { publicServiceMission?: boolean; perimeter?: object; endDate?: string; memberEnd?: string; stopAtProvisioning?: boolean } = {}): Promise<{ id: string; reference: string }> {
  const lead = await cast.as('lead');
  const instructor = await cast.as('instructor');
  const endDate = options.endDate ?? '2027-06-30';
  const project = await completeDraft(lead, 'egb_simplified', endDate, { publicServiceMission: options.publicServiceMission ?? false });
  const p = await lead.request('PUT', `/api/projects/${project.id}/perimeter`, options.perimeter ?? sndsPerimeter);
  if (p.statusCode !== 201) throw new Error(`perimeter: ${p.body}`);
  const m = await lead.post(`/api/projects/${project.id}/members`, { userId: await cast.userId('member'), roleInProject: 'statisticien', endDate: options.memberEnd ?? endDate });
  if (m.statusCode !== 201) throw new Error(`member: ${m.body}`);
  for (const [who, body] of [[lead, { action: 'submit' }], [instructor, { action: 'approve', reference: 'EGB-1', authorisedEndDate: endDate }], [lead, { action: 'accept_convention' }], [instructor, { action: 'accept_convention' }]] as const) {
    const r = await act(who, project.id, body);
    if (r.statusCode !== 200) throw new Error(`${body.action}: ${r.body}`);
  }
  // Provisioning started the extraction; the hub opens the workspace once it is delivered.
  await t.hub.services.extraction.settled();
  if (options.stopAtProvisioning) return project;
  const r = await act(instructor, project.id, { action: 'provision', reference: 'EXTRACT-OK' });
  if (r.statusCode !== 200) throw new Error(`provision: ${r.body}`);
  return project;
}

/** Reads Parquet files with a plain (trusted) engine session: the test's own eyes on the files. */
export async function readParquet(files: string | string[], sql = 'SELECT * FROM t'): Promise<EngineRow[]> {
  const list = (Array.isArray(files) ? files : [files]).map((f) => `'${f}'`).join(', ');
  const s = await new DuckDbEngine().open({ threads: 1 });
  try {
    await s.run(`CREATE VIEW t AS SELECT * FROM read_parquet([${list}])`);
    return await s.query(sql);
  } finally {
    await s.close();
  }
}

export function extractFile(t: TestHub, projectId: string, version: number, table: string): string {
  return path.join(t.hub.config.workspacesDir, projectId, 'extracts', `v${version}`, table, 'part-00000.parquet');
}

export interface QueryResult {
  id: string;
  status: string;
  columns?: { name: string; type: string }[];
  rows?: unknown[][];
  rowCount?: number;
  truncated?: boolean;
  durationMs?: number;
  error?: { code: string; message: string };
}

/** Runs a statement through the API and polls until it ends; a refused one returns its error response. */
export async function runSql(client: TestClient, projectId: string, sql: string, timeoutMs = 120_000): Promise<{ statusCode: number; body: QueryResult & { error?: { code: string; message: string } } }> {
  const res = await client.post(`/api/projects/${projectId}/workspace/queries`, { sql });
  if (res.statusCode !== 200) return { statusCode: res.statusCode, body: res.json() };
  let view = res.json<QueryResult>();
  const until = Date.now() + timeoutMs;
  while (view.status === 'running' && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 200));
    view = (await client.get(`/api/projects/${projectId}/workspace/queries/${view.id}`)).json<QueryResult>();
  }
  return { statusCode: 200, body: view };
}
