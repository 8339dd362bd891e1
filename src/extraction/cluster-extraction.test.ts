/**
 * HDH_ENGINE=clickhouse: a hub whose extractions run on the cluster named by
 * HDH_TEST_CLICKHOUSE_URL. The extract it delivers must be the one the DuckDB extractor makes
 * from the same plan, key and opposition list — row for row, type for type. On PGlite only: the
 * store plays no part in what the cluster computes (extraction.test.ts covers both stores).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickhouseUnderTest, dropTestDatabase, testDatabase } from '../../test/support/clickhouse.js';
import { startTestHub, type TestHub } from '../../test/support/hub.js';
import { Cast, withDemoCatalogue } from '../../test/support/projects.js';
import { activeProject, extractFile, readParquet, sndsPerimeter, syntheticLake } from '../../test/support/workspaces.js';
import { systemActor } from '../platform/actor.js';
import { ClickhouseEngine } from '../platform/engine/clickhouse/engine.js';
import { DuckDbEngine } from '../platform/engine/duckdb.js';
import { ClickhouseLake } from '../platform/lake/clickhouse-lake.js';
import { CatalogueFacts } from './catalogue-facts.js';
import { runExtraction } from './extractor.js';
import { planExtraction } from './plan.js';
import type { ExtractManifest, ExtractView } from './schema.js';
import type { OptOutList } from './service.js';

const cluster = clickhouseUnderTest('the extraction on ClickHouse');

/** The core perimeter, plus a table filtered by overlap (long-term illnesses) and one following a stay. */
const perimeter = {
  ...sndsPerimeter,
  tables: [
    ...sndsPerimeter.tables,
    { name: 'IR_IMB_R', columns: ['BEN_NIR_PSA', 'BEN_RNG_GEM', 'IMB_ALD_NUM', 'IMB_ALD_DTD', 'IMB_ALD_DTF', 'MED_MTF_COD'] },
    { name: 'T_MCOaaD', columns: ['ETA_NUM', 'RSA_NUM', 'ASS_DGN'] },
  ],
};

describe.runIf(cluster)('extraction on a ClickHouse cluster', () => {
  const database = testDatabase('extract');
  let t: TestHub;
  let cast: Cast;
  let opposed: string[] = [];
  const registry: OptOutList = { source: 'test registry', optedOutPseudonyms: async () => opposed };
  let research: { id: string };
  let publicService: { id: string };

  beforeAll(async () => {
    t = await startTestHub(
      'pglite',
      { HDH_ENGINE: 'clickhouse', HDH_CLICKHOUSE_URL: cluster!.urls.join(','), HDH_CLICKHOUSE_USER: cluster!.user, HDH_CLICKHOUSE_PASSWORD: cluster!.password, HDH_CLICKHOUSE_CLUSTER: cluster!.cluster, HDH_CLICKHOUSE_DATABASE: database },
      { optOuts: registry },
    );
    await withDemoCatalogue(t);
    cast = new Cast(t);
    await syntheticLake(t);
    const release = t.hub.services.synthetic.listReleases()[0]!;
    const prs = path.join(t.hub.config.lakeDir, 'releases', release.name, String(release.version), 'ER_PRS_F', '*.parquet');
    // Five people with care in the period (and no twin sharing their BEN_NIR_PSA) oppose.
    const picked = await readParquet(prs, `SELECT BEN_NIR_PSA FROM t WHERE EXE_SOI_DTD < DATE '2021-01-01' GROUP BY 1 HAVING count(DISTINCT BEN_RNG_GEM) = 1 ORDER BY 1 LIMIT 5`);
    opposed = picked.map((r) => String(r.BEN_NIR_PSA));
    research = await activeProject(t, cast, { perimeter });
    publicService = await activeProject(t, cast, { perimeter, publicServiceMission: true });
    await t.hub.services.extraction.settled();
  }, 400_000);
  afterAll(async () => {
    await t?.close();
    if (cluster) await dropTestDatabase({ ...cluster, database });
  });

  const extracts = async (id: string) => (await (await cast.as('instructor')).get(`/api/projects/${id}/extracts`)).json<ExtractView[]>();

  /** The DuckDB extractor's output for the same project, plan, key and opposition list. */
  async function reference(projectId: string, view: ExtractView, optedOut: string[] | null) {
    const permit = await t.hub.services.projects.permit(systemActor('test'), projectId);
    const plan = await planExtraction(permit.perimeter!, t.hub.services.extraction['deps'].lake, new CatalogueFacts(t.hub.services.catalog));
    const pseudonymiser = await t.hub.pseudonyms.openForProject(projectId, 'test', view.key);
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-duck-extract-'));
    const session = await new DuckDbEngine().open({ threads: 2 });
    try {
      return { outDir, out: await runExtraction({ plan, session, pseudonymiser, optedOut, period: permit.perimeter!.period, outDir }) };
    } finally {
      await session.close();
    }
  }

  for (const which of ['research', 'public service'] as const) {
    it(`PR-01, PR-02, DP-03: the cluster's extract (${which}) equals DuckDB's, row for row and type for type`, async () => {
      const project = which === 'research' ? research : publicService;
      const [view] = await extracts(project.id);
      expect(view!.error).toBeNull();
      expect(view).toMatchObject({ version: 1, status: 'ready', oppositionApplied: which === 'research' });
      const manifest = JSON.parse(fs.readFileSync(path.join(t.hub.config.workspacesDir, project.id, 'extracts', 'v1', 'manifest.json'), 'utf8')) as ExtractManifest;
      const { outDir, out } = await reference(project.id, view!, which === 'research' ? opposed : null);
      try {
        expect(manifest.opposition.personsExcluded).toBe(out.personsExcluded);
        if (which === 'research') expect(out.personsExcluded).toBe(5);
        expect(manifest.totalRows).toBe(out.totalRows);
        const strip = (tables: ExtractManifest['tables']) => tables.map(({ files, ...rest }) => ({ ...rest, files: files.map((f) => ({ path: f.path, rows: f.rows })) }));
        expect(strip(manifest.tables)).toEqual(strip(out.tables));
        expect(manifest.tables.map((x) => x.name)).toEqual(expect.arrayContaining(['ER_PHA_F', 'ER_PRS_F', 'IR_BEN_R', 'IR_IMB_R', 'IR_PHA_R', 'KI_CCI_R', 'T_MCO19B', 'T_MCO19C', 'T_MCO19D', 'T_MCO20D']));
        for (const table of manifest.tables) {
          const mine = extractFile(t, project.id, 1, table.name);
          const theirs = path.join(outDir, table.name, 'part-00000.parquet');
          const diff = await readParquet([mine], `SELECT (SELECT count(*) FROM (SELECT * FROM read_parquet('${mine}') EXCEPT ALL SELECT * FROM read_parquet('${theirs}'))) AS extra, (SELECT count(*) FROM (SELECT * FROM read_parquet('${theirs}') EXCEPT ALL SELECT * FROM read_parquet('${mine}'))) AS missing`);
          expect(diff[0], table.name).toEqual({ extra: '0', missing: '0' });
        }
        // The opposed people are gone from the research extract (their project pseudonyms are absent).
        if (which === 'research') {
          const pseudonyms = (await t.hub.pseudonyms.openForProject(project.id, 'test', view!.key)).pseudonymise(opposed);
          const found = await readParquet(extractFile(t, project.id, 1, 'ER_PRS_F'), `SELECT count(*) AS n FROM t WHERE BEN_NIR_PSA IN (${pseudonyms.map((p) => `'${p}'`).join(', ')})`);
          expect(found[0]!.n).toBe('0');
        }
      } finally {
        fs.rmSync(outDir, { recursive: true, force: true });
      }
    });
  }

  it('the release was loaded into the cluster once, made current, and the run left no work tables', async () => {
    const engine = new ClickhouseEngine({ ...cluster!, database });
    const lake = new ClickhouseLake({ engine, files: t.hub.services.extraction['deps'].lake, duckdb: new DuckDbEngine(), workDir: path.join(t.dataDir, 'unused') });
    const release = t.hub.services.synthetic.listReleases()[0]!;
    expect((await lake.current()).map((r) => `${r.name}@${r.version}`)).toEqual([`${release.name}@${release.version}`]);
    const s = await engine.open();
    try {
      for (let node = 0; node < s.shards; node++) {
        const left = await s.queryOnNode(node, `SELECT count() AS n FROM system.tables WHERE database = '${database}' AND startsWith(name, 'hdh_x_')`);
        expect(left[0]!.n, `node ${node}`).toBe('0');
      }
    } finally {
      await s.close();
    }
  });
});
