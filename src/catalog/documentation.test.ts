import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, stores, type TestHub } from '../../test/support/hub.js';
import { loadDemoCatalogue } from './demo-catalogue.js';
import { miniCatalogue } from './fixtures/mini-catalogue.js';

interface Page {
  id: string;
  published: { number: number; html: string; markdown: string } | null;
  revisions: { number: number; status: string; author: string; diff: string; reviewer: string | null }[];
}

describe.each(stores)('documentation pages and shared programs on %s', (store) => {
  let t: TestHub;
  beforeAll(async () => {
    t = await startTestHub(store);
    await loadDemoCatalogue(t.hub.services.catalog, miniCatalogue);
  });
  afterAll(() => t?.close());

  it('a user proposes a documentation edit, a hub instructor approves it, and it is published as sanitised HTML', async () => {
    const researcher = await t.login('chercheur@recherche.example');
    const body = 'La **cause initiale** suit les règles OMS.\n\n<script>alert(1)</script>\n\n[piège](javascript:alert(1)) et [CépiDc](https://www.cepidc.inserm.fr)';
    const proposed = await researcher.post('/api/catalog/docs', { subjectType: 'table', subjectKey: 'KI_CCI_R', title: 'Lire la cause initiale', body });
    expect(proposed.statusCode).toBe(201);
    const page = proposed.json<Page>();
    expect(page.published).toBeNull();
    expect(page.revisions[0]).toMatchObject({ number: 1, status: 'proposed', author: 'chercheur@recherche.example' });
    expect(page.revisions[0]?.diff).toContain('+La **cause initiale**');

    // Neither the author nor a producer of another organisation may approve.
    expect((await researcher.post(`/api/catalog/docs/pages/${page.id}/revisions/1/approve`, {})).statusCode).toBe(403);
    const producer = await t.login('producteur@cnam.example');
    expect((await producer.post(`/api/catalog/docs/pages/${page.id}/revisions/1/approve`, {})).statusCode).toBe(403);
    // Nothing is visible to the public before approval.
    expect((await t.client().get('/api/catalog/docs?subjectType=table&subjectKey=KI_CCI_R')).json<Page[]>()[0]?.published).toBeNull();

    const instructor = await t.login('instructeur@hdh.example');
    const pending = (await instructor.get('/api/catalog/docs/proposals')).json<{ pageId: string; number: number }[]>();
    expect(pending).toContainEqual(expect.objectContaining({ pageId: page.id, number: 1 }));
    const approved = await instructor.post(`/api/catalog/docs/pages/${page.id}/revisions/1/approve`, { note: 'Merci.' });
    expect(approved.statusCode).toBe(200);
    const [published] = (await t.client().get('/api/catalog/docs?subjectType=table&subjectKey=KI_CCI_R')).json<Page[]>();
    expect(published?.published?.html).toContain('<strong>cause initiale</strong>');
    expect(published?.published?.html).not.toMatch(/<script|href="javascript/);
    expect(published?.published?.html).toContain('href="https://www.cepidc.inserm.fr"');
    expect(published?.revisions[0]).toMatchObject({ status: 'published', reviewer: 'instructeur@hdh.example' });
    const events = await t.superuserSql(`select action from audit_events where target_id = '${page.id}' order by seq`);
    expect(events.map((e) => (e as { action: string }).action)).toEqual(['catalog.doc_propose', 'catalog.doc_publish']);
  });

  it('revisions carry their diff; a stale base is refused; a proposal can be rejected', async () => {
    const researcher = await t.login('chercheur@recherche.example');
    const [page] = (await t.client().get('/api/catalog/docs?subjectType=table&subjectKey=KI_CCI_R')).json<Page[]>();
    const stale = await researcher.post('/api/catalog/docs', { subjectType: 'table', subjectKey: 'KI_CCI_R', title: 'Autre', body: 'Texte parti de rien.', baseNumber: null });
    expect(stale.statusCode).toBe(409);
    const second = await researcher.post('/api/catalog/docs', { subjectType: 'table', subjectKey: 'KI_CCI_R', title: 'Lire la cause initiale', body: 'La **cause initiale** suit les règles de l’OMS (CIM-10).', baseNumber: 1 });
    expect(second.statusCode).toBe(201);
    const revision = second.json<Page>().revisions[0]!;
    expect(revision.diff).toMatch(/^-La \*\*cause initiale\*\* suit les règles OMS\.$/m);
    expect(revision.diff).toMatch(/^\+La \*\*cause initiale\*\* suit les règles de l’OMS \(CIM-10\)\.$/m);
    const instructor = await t.login('instructeur@hdh.example');
    const rejected = await instructor.post(`/api/catalog/docs/pages/${page!.id}/revisions/${revision.number}/reject`, { note: 'Source à citer.' });
    expect(rejected.json<Page>().revisions[0]).toMatchObject({ status: 'rejected' });
    expect(rejected.json<Page>().published?.number).toBe(1);
    expect((await instructor.post(`/api/catalog/docs/pages/${page!.id}/revisions/${revision.number}/approve`, {})).statusCode).toBe(409);
    expect((await researcher.post('/api/catalog/docs', { subjectType: 'variable', subjectKey: 'KI_CCI_R.NOPE', title: 'Rien', body: 'x' })).statusCode).toBe(404);
    // An approver may publish at once.
    const direct = await instructor.post('/api/catalog/docs', { subjectType: 'dataset', subjectKey: 'cepidc-test', title: 'Présentation', body: 'Les décès en France.', publish: true });
    expect(direct.json<Page>().published?.number).toBe(1);
    expect((await researcher.post('/api/catalog/docs', { subjectType: 'dataset', subjectKey: 'cepidc-test', slug: 'autre', title: 'Présentation', body: 'x', publish: true })).statusCode).toBe(403);
  });

  it('shared programs: attached to tables, versioned by their author, searchable', async () => {
    const code = 'SELECT EXE_SOI_DTD, count(*) FROM ER_PRS_F GROUP BY 1';
    expect((await t.client().post('/api/catalog/programs', { slug: 'anonyme', title: 'Anonyme', description: 'Sans compte, refusé.', tables: ['ER_PRS_F'], code })).statusCode).toBe(401);
    const author = await t.login('porteur@recherche.example');
    const created = await author.post('/api/catalog/programs', { slug: 'prestations-par-jour', title: 'Prestations par jour de soins', description: 'Compte les prestations remboursées par date de soins.', tables: ['ER_PRS_F', 'T_MCO19B'], code });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ tables: ['ER_PRS_F', 'T_MCOaaB'], currentVersion: 1, licence: 'MPL-2.0', author: 'porteur@recherche.example', code });
    expect((await author.post('/api/catalog/programs', { slug: 'x-inconnue', title: 'Table inconnue', description: 'Une table absente du catalogue.', tables: ['NOPE'], code })).statusCode).toBe(400);
    const other = await t.login('chercheur@recherche.example');
    expect((await other.post('/api/catalog/programs/prestations-par-jour/versions', { code: 'SELECT 1', note: 'pas à moi' })).statusCode).toBe(403);
    const v2 = await author.post('/api/catalog/programs/prestations-par-jour/versions', { code: `${code} ORDER BY 1`, note: 'Tri par date' });
    expect(v2.json()).toMatchObject({ currentVersion: 2, versions: [{ version: 2, note: 'Tri par date' }, { version: 1 }] });
    const c = t.client();
    expect((await c.get('/api/catalog/programs?q=prestation')).json<{ slug: string }[]>().map((p) => p.slug)).toEqual(['prestations-par-jour']);
    expect((await c.get('/api/catalog/programs?table=T_MCOaaB')).json<{ slug: string }[]>()).toHaveLength(1);
    expect((await c.get('/api/catalog/programs?table=IR_BEN_R')).json<unknown[]>()).toHaveLength(0);
  });
});
