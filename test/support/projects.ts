/**
 * Fixtures for the projects tests: the demo cast logged in on demand (again after the clock
 * jumps past the idle timeout), a complete project file, a perimeter from the demo catalogue.
 */
import path from 'node:path';
import { loadDemoCatalogue } from '../../src/catalog/demo-catalogue.js';
import { repoRoot } from '../../src/main.js';
import { linkDemoProducers } from '../../src/demo/seed.js';
import type { TestClient, TestHub } from './hub.js';

export const people = {
  lead: 'porteur@recherche.example',
  member: 'chercheur@recherche.example',
  instructor: 'instructeur@hdh.example',
  admin: 'admin@hdh.example',
  security: 'securite@hdh.example',
  producer: 'producteur@cnam.example',
  reviewer: 'relecteur1@hdh.example',
} as const;
export type Person = keyof typeof people;

export class Cast {
  #clients = new Map<Person, TestClient>();
  #accepted = new Set<Person>();
  constructor(private readonly t: TestHub) {}

  /** A logged-in client with the user charter accepted (AUTH-05), unless told otherwise. */
  async as(person: Person, options: { acceptCharter?: boolean } = {}): Promise<TestClient> {
    const cached = this.#clients.get(person);
    if (cached) return cached;
    const client = await this.t.login(people[person]);
    // A client that has not accepted the charter is for one test only: not cached.
    if (options.acceptCharter === false) return client;
    if (!this.#accepted.has(person)) {
      await client.acceptCharter();
      this.#accepted.add(person);
    }
    this.#clients.set(person, client);
    return client;
  }

  /** After a clock jump: sessions died of idleness, log in again. */
  forget(): void {
    this.#clients.clear();
  }

  async userId(person: Person): Promise<string> {
    const session = (await (await this.as(person)).get('/api/session')).json<{ user: { id: string } }>();
    return session.user.id;
  }
}

export const perimeter = {
  datasets: ['BENEFICIAIRE', 'DCIR'],
  tables: [
    { name: 'IR_BEN_R', columns: ['BEN_NIR_PSA', 'BEN_SEX_COD', 'BEN_NAI_ANN'] },
    { name: 'ER_PRS_F', columns: ['BEN_NIR_PSA', 'EXE_SOI_DTD', 'PRS_NAT_REF'] },
  ],
  period: { from: '2019-01-01', to: '2023-12-31' },
  population: { description: 'Adultes ayant eu au moins une délivrance d’anticoagulant', inclusion: ['âge ≥ 18 ans'], exclusion: [] },
  durationMonths: 36,
};

export type Route = 'cnil_authorisation' | 'reference_methodology' | 'egb_simplified' | 'permanent_access';

export function fileFields(route: Route, requestedEndDate: string, extra: Record<string, unknown> = {}) {
  return {
    title: `Anticoagulants et hémorragies (${route})`,
    legalRoute: route,
    summary: 'Étude de cohorte sur les hémorragies sous anticoagulants oraux.',
    purpose: 'Mesurer le risque hémorragique des anticoagulants oraux directs.',
    objectives: 'Comparer les taux d’hospitalisation pour hémorragie entre molécules.',
    publicInterest: 'Améliorer la sécurité des prescriptions en population générale.',
    methodology: 'Cohorte rétrospective, modèles de Cox, appariement sur score de propension.',
    expectedResults: 'Rapports de risques par molécule, publiés en accès ouvert.',
    publicServiceMission: false,
    dataControllers: [{ name: 'Université de Synthèse', kind: 'rt', organisationType: 'public' }, { name: 'CHU Fictif', kind: 'co_rt' }],
    rmo: { name: 'Dr Laura Porteuse', role: 'investigatrice principale' },
    subcontractors: [{ name: 'Biostat Conseil (fictif)', role: 'analyses' }],
    medicalDomains: ['Cardiologie', 'Pharmacologie'],
    otherSources: [],
    requestedEndDate,
    ...(route === 'reference_methodology' ? { referenceMethodology: 'MR-004', conformityDeclaration: { reference: 'DC-2026-123', declaredOn: '2026-01-15' } } : {}),
    ...extra,
  };
}

/** A project file ready for submission: every field, a perimeter, both declarations of interest (PR-10). */
export async function completeDraft(lead: TestClient, route: Route, requestedEndDate = '2027-09-30', extra: Record<string, unknown> = {}): Promise<{ id: string; reference: string }> {
  const created = await lead.post('/api/projects', fileFields(route, requestedEndDate, extra));
  if (created.statusCode !== 201) throw new Error(`create failed: ${created.body}`);
  const { id, reference } = created.json<{ id: string; reference: string }>();
  const p = await lead.request('PUT', `/api/projects/${id}/perimeter`, perimeter);
  if (p.statusCode !== 201) throw new Error(`perimeter failed: ${p.body}`);
  for (const capacity of ['data_controller', 'research_lead']) {
    const r = await lead.post(`/api/projects/${id}/interests`, { personName: capacity === 'research_lead' ? 'Laura Porteuse' : 'Pr Jean Synthèse', capacity, statement: 'Aucun lien d’intérêt avec l’industrie pharmaceutique.', signedOn: '2026-01-10' });
    if (r.statusCode !== 201) throw new Error(`interest failed: ${r.body}`);
  }
  return { id, reference };
}

export async function act(client: TestClient, id: string, body: Record<string, unknown>) {
  return client.post(`/api/projects/${id}/transitions`, body);
}

export function errorCode(res: { json<T>(): T }): string {
  return res.json<{ error: { code: string } }>().error.code;
}

/** Project perimeters are checked against the live catalogue: load the demo one into a test hub. */
export async function withDemoCatalogue(t: TestHub): Promise<void> {
  const result = await loadDemoCatalogue(t.hub.services.catalog, path.join(repoRoot, 'data', 'demo-catalogue'));
  if (!result.loaded) throw new Error('demo catalogue not loaded');
}

/** The demo catalogue with its Cnam producer linked to the demo producer account's organisation. */
export async function withDemoProducers(t: TestHub): Promise<void> {
  await withDemoCatalogue(t);
  await linkDemoProducers(t.hub);
}
