import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../platform/actor.js';
import { HdhError } from '../platform/errors.js';
import { startTestHub, stores, type TestHub } from '../../test/support/hub.js';
import { loadDemoCatalogue } from './demo-catalogue.js';
import { miniCatalogue } from './fixtures/mini-catalogue.js';

const fixture = miniCatalogue;

function copyFixture(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-catalog-'));
  fs.cpSync(fixture, dir, { recursive: true });
  return dir;
}

describe.each(stores)('catalogue on %s', (store) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub(store);
  });
  afterAll(() => t?.close());

  const stats = async () => (await t.client().get('/api/catalog/stats')).json<Record<string, number>>();

  it('loads the demo catalogue once, when the catalogue is empty, with a dataset for each uncovered product', async () => {
    const first = await loadDemoCatalogue(t.hub.services.catalog, fixture);
    expect(first).toMatchObject({ loaded: true, version: 1, tables: 4 });
    expect(await loadDemoCatalogue(t.hub.services.catalog, fixture)).toEqual({ loaded: false, reason: 'not_empty' });
    const datasets = (await t.client().get('/api/catalog/datasets')).json<{ slug: string; tableCount: number }[]>();
    expect(datasets.map((d) => d.slug).sort()).toEqual(['cepidc-test', 'produit-pmsi-mco', 'snds-test']);
    expect(datasets.find((d) => d.slug === 'snds-test')?.tableCount).toBe(2);
    expect(await stats()).toMatchObject({ tables: 4, variables: 15, nomenclatures: 3, codes: 7, joins: 3, datasets: 3 });
  });

  it('all catalogue metadata is public: no login needed to read', async () => {
    const c = t.client();
    const openapi = await c.get('/api/docs/json');
    expect(openapi.statusCode).toBe(200);
    expect(Object.keys(openapi.json<{ paths: Record<string, unknown> }>().paths)).toEqual(expect.arrayContaining(['/api/catalog/search', '/api/catalog/datasets/{slug}', '/api/catalog/docs', '/api/catalog/programs']));
    expect((await c.get('/api/catalog/producers/cnam-test')).json()).toMatchObject({ name: 'Caisse nationale (fixture)' });
    expect((await c.get('/api/catalog/producers/nope')).statusCode).toBe(404);
    const ds = await c.get('/api/catalog/datasets/snds-test');
    expect(ds.statusCode).toBe(200);
    expect(ds.json()).toMatchObject({ producer: { slug: 'cnam-test' }, accessRights: 'restricted', covers: { products: ['BENEFICIAIRE', 'DCIR'] } });
    const table = (await c.get('/api/catalog/tables/IR_BEN_R')).json<{ variables: { name: string; sensitivity: string | null }[]; datasets: { slug: string }[] }>();
    expect(table.datasets).toEqual([{ slug: 'snds-test', title: 'Bénéficiaires et prestations (fixture)' }]);
    // Sensitivity is inferred when the schema is silent (SDC-07 potential identifiers).
    expect(table.variables.find((v) => v.name === 'BEN_NIR_PSA')?.sensitivity).toBe('direct_identifier');
    expect(table.variables.find((v) => v.name === 'BEN_RES_COM')?.sensitivity).toBe('potential_identifier');
    const variable = (await c.get('/api/catalog/tables/IR_BEN_R/variables/BEN_NIR_PSA')).json<{ usedIn: { table: string }[]; joins: { fromTable: string }[] }>();
    expect(variable.usedIn.map((u) => u.table).sort()).toEqual(['ER_PRS_F', 'KI_CCI_R']);
    expect(variable.joins.map((j) => j.fromTable).sort()).toEqual(['ER_PRS_F', 'KI_CCI_R']);
    const graph = (await c.get('/api/catalog/datasets/cepidc-test/graph')).json<{ nodes: { id: string; product: string }[]; edges: { source: string; target: string; sourceFields: string[] }[] }>();
    expect(graph.edges).toEqual([expect.objectContaining({ source: 'KI_CCI_R', target: 'IR_BEN_R', sourceFields: ['BEN_NIR_PSA'] })]);
    expect(graph.nodes).toContainEqual(expect.objectContaining({ id: 'IR_BEN_R', product: 'BENEFICIAIRE' }));
    const whole = (await c.get('/api/catalog/graph')).json<{ nodes: { id: string; known: boolean }[] }>();
    expect(whole.nodes).toContainEqual(expect.objectContaining({ id: 'DA_PRA_R', known: false }));
    const cim = (await c.get('/api/catalog/nomenclatures/CIM10_CAUSES?q=infarctus')).json<{ codes: { items: { code: string; validFrom: string | null }[] }; usedBy: { table: string }[] }>();
    expect(cim.codes.items).toEqual([expect.objectContaining({ code: 'I21', validFrom: '2000-01-01' })]);
    expect(cim.usedBy.map((u) => u.table).sort()).toEqual(['KI_CCI_R', 'T_MCOaaB']);
    const sex = (await c.get('/api/catalog/nomenclatures/IR_SEX_V')).json<{ codes: { items: { label: string }[] } }>();
    expect(sex.codes.items.map((i) => i.label)).toContain('Valeur ; inconnue');
  });

  it('search is accent-insensitive, prefix-matching, faceted and highlighted', async () => {
    const c = t.client();
    const search = async (qs: string) => (await c.get(`/api/catalog/search?${qs}`)).json<{ total: number; hits: { kind: string; ref: string; highlight: { text: string; match: boolean }[] }[]; facets: Record<string, { value: string; count: number }[]> }>();
    const deces = await search('q=deces');
    expect(deces.hits.map((h) => h.ref)).toEqual(expect.arrayContaining(['KI_CCI_R', 'cepidc-test', 'IR_BEN_R.BEN_DCD_DTE', 'CIM10_CAUSES:R99']));
    expect((await search('q=d%C3%A9c%C3%A8s')).hits.map((h) => h.ref)).toEqual(deces.hits.map((h) => h.ref));
    const hit = deces.hits.find((h) => h.ref === 'IR_BEN_R.BEN_DCD_DTE')!;
    expect(hit.highlight.filter((s) => s.match).map((s) => s.text)).toEqual(['décès']);
    expect(deces.facets.producer).toContainEqual(expect.objectContaining({ value: 'cepidc-test' }));
    expect(deces.facets.access!.map((a) => a.value).sort()).toEqual(['non_public', 'restricted']);
    // As you type: a prefix finds the word.
    expect((await search('q=hospitalis')).hits.map((h) => h.ref)).toContain('T_MCOaaB.DGN_PAL');
    // A table name comes first.
    expect((await search('q=ER_PRS')).hits[0]).toMatchObject({ kind: 'table', ref: 'ER_PRS_F' });
    const filtered = await search('q=deces&access=non_public');
    expect(filtered.hits.every((h) => ['KI_CCI_R', 'cepidc-test'].includes(h.ref.split('.')[0]!))).toBe(true);
    expect((await search('q=deces&product=BENEFICIAIRE')).hits.map((h) => h.ref)).toEqual(['IR_BEN_R.BEN_DCD_DTE']);
    expect((await c.get('/api/catalog/search?q=x&bogus=1')).statusCode).toBe(400);
  });

  it('search results are cached per catalogue version: a repeat is the same body, concurrent twins share one run, an edit shows at once', async () => {
    const c = t.client();
    const get = async (q: string) => {
      const res = await c.get(`/api/catalog/search?q=${encodeURIComponent(q)}`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      return res.json<{ total: number; tookMs: number; hits: { ref: string }[] }>();
    };
    const first = await get('sexe');
    expect(first.tookMs).toBeGreaterThan(0);
    expect(await get('sexe')).toEqual({ ...first, tookMs: 0 });
    // Two identical searches at once: one runs, the other waits for it (its tookMs is 0).
    const twins = await Promise.all([get('naiss'), get('naiss')]);
    expect(twins.map((r) => r.tookMs > 0).sort()).toEqual([false, true]);
    expect(twins[0].hits).toEqual(twins[1].hits);

    expect((await get('zorglub')).total).toBe(0);
    const instructor = await t.login('instructeur@hdh.example');
    expect((await instructor.patch('/api/catalog/tables/ER_PRS_F/variables/EXE_SOI_DTD', { label: 'Date de début des soins (zorglub)' })).statusCode).toBe(200);
    expect((await get('zorglub')).hits.map((h) => h.ref)).toEqual(['ER_PRS_F.EXE_SOI_DTD']);
  });

  it('LOG-01: edits need a producer of the dataset or hub staff, are versioned and audited in the same transaction', async () => {
    const anonymous = await t.client().patch('/api/catalog/tables/IR_BEN_R/variables/BEN_SEX_COD', { sensitivity: 'potential_identifier' });
    expect(anonymous.statusCode).toBe(401);
    const researcher = await t.login('chercheur@recherche.example');
    expect((await researcher.patch('/api/catalog/tables/IR_BEN_R/variables/BEN_SEX_COD', { sensitivity: 'potential_identifier' })).statusCode).toBe(403);
    const producer = await t.login('producteur@cnam.example');
    expect((await producer.patch('/api/catalog/tables/IR_BEN_R', { description: 'Texte du producteur.' })).statusCode).toBe(403);

    const instructor = await t.login('instructeur@hdh.example');
    const before = (await t.client().get('/api/catalog/versions')).json<{ number: number }[]>()[0]!.number;
    const edited = await instructor.patch('/api/catalog/tables/IR_BEN_R/variables/BEN_SEX_COD', { sensitivity: 'potential_identifier', managementRule: 'Codé 1 ou 2.' });
    expect(edited.statusCode).toBe(200);
    const editedView = edited.json<{ variable: unknown; changes: { version: number; actor: string; change: string; before: unknown; after: unknown }[] }>();
    expect(editedView.variable).toMatchObject({ sensitivity: 'potential_identifier', managementRule: 'Codé 1 ou 2.', revision: 2 });
    expect(editedView.changes[0]).toMatchObject({ version: before + 1, actor: 'instructeur@hdh.example', change: 'changed', before: { sensitivity: null }, after: { sensitivity: 'potential_identifier' } });
    expect((await instructor.patch('/api/catalog/tables/IR_BEN_R/variables/BEN_SEX_COD', { bogus: 1 })).statusCode).toBe(400);

    // Link the producer to the producer's organisation: its data producers may now edit.
    const orgs = (await (await t.login('admin@hdh.example')).get('/api/admin/organisations')).json<{ id: string; name: string }[]>();
    const cnam = orgs.find((o) => o.name.startsWith('Caisse nationale'))!;
    expect((await producer.patch('/api/catalog/producers/cnam-test', { organisationId: cnam.id })).statusCode).toBe(403);
    expect((await instructor.patch('/api/catalog/producers/cnam-test', { organisationId: cnam.id })).json()).toMatchObject({ organisationId: cnam.id });
    const byProducer = await producer.patch('/api/catalog/datasets/snds-test', { description: 'Description revue par le producteur du jeu de données.' });
    expect(byProducer.statusCode).toBe(200);
    expect(byProducer.json()).toMatchObject({ revision: 2 });
    expect((await producer.patch('/api/catalog/datasets/cepidc-test', { description: 'Pas son jeu de données, refusé.' })).statusCode).toBe(403);

    const version = (await t.client().get(`/api/catalog/versions/${before + 3}`)).json<{ actor: string; changes: { entityType: string; before: { description: string }; after: { description: string } }[] }>();
    expect(version.actor).toBe('producteur@cnam.example');
    expect(version.changes[0]).toMatchObject({ entityType: 'dataset', after: { description: 'Description revue par le producteur du jeu de données.' } });
    const events = await t.superuserSql(`select action, target_id, details from audit_events where action like 'catalog.%' order by seq`);
    expect(events).toContainEqual(expect.objectContaining({ action: 'catalog.variable_update', target_id: 'IR_BEN_R.BEN_SEX_COD' }));
    expect(events).toContainEqual(expect.objectContaining({ action: 'catalog.dataset_update', target_id: 'snds-test' }));
    expect(events).toContainEqual(expect.objectContaining({ action: 'catalog.import', target_id: 'demo-catalogue' }));
  });

  it('LOG-02: re-import records added / changed / removed as a new version', async () => {
    const dir = copyFixture();
    const prsFile = path.join(dir, 'schemas', 'DCIR', 'ER_PRS_F.json');
    const prs = JSON.parse(fs.readFileSync(prsFile, 'utf8'));
    prs.fields[0].description = 'Numéro d’ordre de la prestation (revu)';
    prs.fields.push({ name: 'PRS_NAT_REF', description: 'Nature de la prestation', type: 'integer', nomenclature: '-' });
    prs.fields = prs.fields.filter((f: { name: string }) => f.name !== 'EXE_SOI_DTD');
    fs.writeFileSync(prsFile, JSON.stringify(prs));
    fs.rmSync(path.join(dir, 'schemas', 'PMSI'), { recursive: true });
    fs.appendFileSync(path.join(dir, 'nomenclatures', 'ORAVAL', 'IR_SEX_V.csv'), '0;INDETERMINE\n');
    const result = await t.hub.services.catalog.importFolder(systemActor('test'), dir, { source: 'demo-catalogue' });
    expect(result.diff.tables).toEqual({ added: 0, changed: 1, removed: 1, unchanged: 2 });
    expect(result.diff.variables).toMatchObject({ added: 1, changed: 1, removed: 1 });
    expect(result.diff.nomenclatures).toMatchObject({ changed: 1, unchanged: 2 });
    const version = (await t.client().get(`/api/catalog/versions/${result.version}`)).json<{ changes: { entityKey: string; change: string }[] }>();
    expect(version.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ entityKey: 'ER_PRS_F.PRS_NAT_REF', change: 'added' }),
        expect.objectContaining({ entityKey: 'ER_PRS_F.PRS_ORD_NUM', change: 'changed' }),
        expect.objectContaining({ entityKey: 'ER_PRS_F.EXE_SOI_DTD', change: 'removed' }),
        expect.objectContaining({ entityKey: 'T_MCOaaB', change: 'removed' }),
        expect.objectContaining({ entityKey: 'IR_SEX_V', change: 'changed' }),
      ]),
    );
    const history = (await t.client().get('/api/catalog/tables/ER_PRS_F')).json<{ changes: { entityKey: string }[]; revision: number }>();
    expect(history.revision).toBe(2);
    expect(history.changes.map((c) => c.entityKey)).toContain('ER_PRS_F.PRS_NAT_REF');
    expect((await stats()).codes).toBe(8);
  });

  it('a broken demo folder is reported, not fatal', async () => {
    const dir = copyFixture();
    fs.writeFileSync(path.join(dir, 'datasets.json'), JSON.stringify({ producers: [], datasets: [] }));
    const empty = await startTestHub(store);
    try {
      const r = await loadDemoCatalogue(empty.hub.services.catalog, dir);
      expect(r).toMatchObject({ loaded: false, reason: 'invalid', problems: [expect.objectContaining({ file: 'datasets.json', pointer: '/producers' }), expect.objectContaining({ pointer: '/datasets' })] });
    } finally {
      await empty.close();
    }
  });

  it('a malformed schema is reported with file and JSON pointer, and nothing of the import is applied', async () => {
    const before = await stats();
    const versions = (await t.client().get('/api/catalog/versions')).json<unknown[]>().length;
    const dir = copyFixture();
    const benFile = path.join(dir, 'schemas', 'BENEFICIAIRE', 'IR_BEN_R.json');
    const ben = JSON.parse(fs.readFileSync(benFile, 'utf8'));
    delete ben.fields[2].name;
    ben.title = 'Titre modifié qui ne doit pas arriver';
    fs.writeFileSync(benFile, JSON.stringify(ben));
    fs.writeFileSync(path.join(dir, 'schemas', 'DCIR', 'NEW_TABLE.json'), JSON.stringify({ name: 'NEW_TABLE', fields: [{ name: 'A' }], primaryKey: 'B' }));
    const err = await t.hub.services.catalog.importFolder(systemActor('test'), dir, { source: 'demo-catalogue' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HdhError);
    const problems = ((err as HdhError).details as { problems: { file: string; pointer: string }[] }).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'schemas/BENEFICIAIRE/IR_BEN_R.json', pointer: '/fields/2/name' }),
        expect.objectContaining({ file: 'schemas/DCIR/NEW_TABLE.json', pointer: '/primaryKey' }),
      ]),
    );
    // A bad CSV line is found while writing: the transaction rolls back everything written before it.
    const dir2 = copyFixture();
    fs.appendFileSync(path.join(dir2, 'nomenclatures', 'ORAVAL', 'IR_SEX_V.csv'), '7;TROP;DE;COLONNES\n');
    fs.writeFileSync(path.join(dir2, 'schemas', 'DCIR', 'NEW_TABLE.json'), JSON.stringify({ name: 'NEW_TABLE', fields: [{ name: 'A' }] }));
    const csvErr = await t.hub.services.catalog.importFolder(systemActor('test'), dir2, { source: 'demo-catalogue' }).catch((e: unknown) => e);
    expect(((csvErr as HdhError).details as { problems: { file: string; pointer: string }[] }).problems[0]).toMatchObject({ file: 'nomenclatures/ORAVAL/IR_SEX_V.csv', pointer: 'line 5' });
    expect(await stats()).toEqual(before);
    expect((await t.client().get('/api/catalog/versions')).json<unknown[]>()).toHaveLength(versions);
    expect((await t.client().get('/api/catalog/tables/NEW_TABLE')).statusCode).toBe(404);
  });
});
