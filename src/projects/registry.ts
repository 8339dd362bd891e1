/**
 * The public registry — répertoire public des projets (PR-05..PR-07): every project past
 * submission, with no login. Only fields meant for the public leave here: no team, no
 * documents, no internal notes. Search, filters, open-data export (CSV, JSON), statistics.
 */
import { stringify } from 'csv-stringify/sync';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db/database.js';
import { HdhError } from '../platform/errors.js';
import { median } from './dashboard.js';
import { legalRoutes, type LegalRoute, type Status } from './procedure.js';
import * as repo from './repo.js';
import type { ProjectRow } from './repo.js';
import type { Perimeter, RegistryOutput } from './schema.js';

/** Results published from the output airlock, per project id (the airlock domain provides them). */
export type PublishedOutputs = (projectIds: string[]) => Promise<Map<string, RegistryOutput[]>>;

export interface RegistryFilter {
  q?: string | undefined;
  route?: LegalRoute | undefined;
  status?: Status | undefined;
  domain?: string | undefined;
  source?: string | undefined;
  year?: number | undefined;
}

const decisionActions = new Set(['record_cnil_decision', 'register', 'approve', 'refuse']);
const completenessActions = new Set(['forward', 'register', 'approve']);

export class Registry {
  constructor(private readonly deps: { db: Db; clock: Clock; publishedOutputs?: PublishedOutputs | undefined }) {}

  private async entries() {
    const projects = await repo.publicProjects(this.deps.db);
    const [perimeters, transitions] = await Promise.all([repo.latestPerimeters(this.deps.db, projects.map((p) => p.id)), repo.allTransitions(this.deps.db)]);
    const outputs = this.deps.publishedOutputs ? await this.deps.publishedOutputs(projects.map((p) => p.id)) : new Map<string, RegistryOutput[]>();
    const byProject = new Map<string, { action: string; at: Date }[]>();
    for (const t of transitions) byProject.set(t.project_id, [...(byProject.get(t.project_id) ?? []), t]);
    return projects.map((p) => ({ ...entry(p, perimeters.get(p.id) as Perimeter | undefined, byProject.get(p.id) ?? []), outputs: outputs.get(p.id) ?? [] }));
  }

  async search(filter: RegistryFilter) {
    const q = filter.q ? fold(filter.q) : null;
    return (await this.entries()).filter((e) =>
      (!q || fold([e.reference, e.title, e.purpose, e.objectives, ...e.dataControllers.map((c) => c.name)].join(' ')).includes(q)) &&
      (!filter.route || e.legalRoute === filter.route) &&
      (!filter.status || e.status === filter.status) &&
      (!filter.domain || e.medicalDomains.some((d) => fold(d) === fold(filter.domain!))) &&
      (!filter.source || [...e.dataSources.snds, ...e.dataSources.other].some((s) => fold(s) === fold(filter.source!))) &&
      (!filter.year || e.submittedOn.startsWith(String(filter.year))),
    );
  }

  async byReference(reference: string) {
    const found = (await this.entries()).find((e) => e.reference === reference);
    if (!found) throw new HdhError('registry.not_found', 404, { reference });
    return found;
  }

  /** Open-data export (CSV, `;`-free comma CSV with a header, UTF-8). */
  async csv(filter: RegistryFilter): Promise<string> {
    const rows = await this.search(filter);
    const header = ['reference', 'title', 'data_controllers', 'purpose', 'objectives', 'methodology', 'snds_sources', 'other_sources', 'medical_domains', 'legal_route', 'reference_methodology', 'public_service_mission', 'submitted_on', 'completeness_on', 'cesrees_opinion_on', 'cesrees_outcome', 'cnil_decision_on', 'cnil_number', 'cnil_outcome', 'registry_reference', 'status', 'start_date', 'end_date', 'results', 'results_url'];
    return stringify([header, ...rows.map((e) => [
      e.reference, e.title, e.dataControllers.map((c) => `${c.name} (${c.kind})`).join(' | '), e.purpose, e.objectives, e.methodology,
      e.dataSources.snds.join(' | '), e.dataSources.other.join(' | '), e.medicalDomains.join(' | '), e.legalRoute, e.referenceMethodology ?? '', e.publicServiceMission,
      e.submittedOn, e.completenessOn ?? '', e.cesrees.decidedOn ?? '', e.cesrees.outcome ?? '', e.cnil.decidedOn ?? '', e.cnil.number ?? '', e.cnil.outcome ?? '',
      e.registryReference ?? '', e.status, e.startDate ?? '', e.endDate ?? '', e.results?.summary ?? '', e.results?.url ?? '',
    ])]);
  }

  /** Projects per route and per status; median days from submission to the decision, overall and per route. */
  async statistics() {
    const all = await this.entries();
    const perRoute = Object.fromEntries(legalRoutes.map((r) => [r, all.filter((e) => e.legalRoute === r).length]));
    const perStatus: Record<string, number> = {};
    for (const e of all) perStatus[e.status] = (perStatus[e.status] ?? 0) + 1;
    const days = (list: typeof all) => list.filter((e) => e.daysToDecision !== null).map((e) => e.daysToDecision!).sort((a, b) => a - b);
    return {
      total: all.length,
      perRoute,
      perStatus,
      medianDaysToDecision: median(days(all)),
      medianDaysToDecisionPerRoute: Object.fromEntries(legalRoutes.map((r) => [r, median(days(all.filter((e) => e.legalRoute === r)))])),
      generatedAt: this.deps.clock.now().toISOString(),
    };
  }
}

function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase();
}

function entry(p: ProjectRow, perimeter: Perimeter | undefined, transitions: { action: string; at: Date }[]) {
  const submittedAt = p.submitted_at!;
  const completeness = transitions.find((t) => completenessActions.has(t.action));
  const decision = transitions.find((t) => decisionActions.has(t.action));
  return {
    reference: p.reference,
    title: p.title,
    dataControllers: p.data_controllers.map((c) => ({ name: c.name, kind: c.kind, organisationType: c.organisationType ?? null })),
    purpose: p.purpose,
    objectives: p.objectives,
    methodology: p.methodology,
    dataSources: { snds: perimeter?.datasets ?? [], other: p.other_sources },
    medicalDomains: p.medical_domains,
    legalRoute: p.legal_route,
    referenceMethodology: p.reference_methodology,
    publicServiceMission: p.public_service_mission,
    submittedOn: submittedAt.toISOString().slice(0, 10),
    completenessOn: completeness?.at.toISOString().slice(0, 10) ?? null,
    cesrees: { decidedOn: p.cesrees_decided_on, outcome: p.cesrees_outcome },
    cnil: { decidedOn: p.cnil_decided_on, number: p.cnil_number, outcome: p.cnil_outcome },
    registryReference: p.registry_reference,
    status: p.status,
    startDate: p.start_date,
    endDate: p.authorised_end_date,
    results: p.results_summary && p.results_published_at ? { summary: p.results_summary, url: p.results_url, publishedAt: p.results_published_at.toISOString() } : null,
    daysToDecision: decision ? Math.round(((decision.at.getTime() - submittedAt.getTime()) / 86_400_000) * 10) / 10 : null,
  };
}

export type RegistryEntry = ReturnType<typeof entry> & { outputs: RegistryOutput[] };
