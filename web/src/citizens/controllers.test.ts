import { describe, expect, it } from 'vitest';
import type { RegistryEntry } from '../projects/types.ts';
import { controllersOf } from './controllers.ts';

function entry(reference: string, title: string, controllers: RegistryEntry['dataControllers'], status: RegistryEntry['status'] = 'active'): RegistryEntry {
  return {
    reference, title, dataControllers: controllers, purpose: '', objectives: '', methodology: '', dataSources: { snds: [], other: [] }, medicalDomains: [],
    legalRoute: 'cnil_authorisation', referenceMethodology: null, publicServiceMission: false, submittedOn: '2026-01-01', completenessOn: null,
    cesrees: { decidedOn: null, outcome: null }, cnil: { decidedOn: null, number: null, outcome: null }, registryReference: null, status,
    startDate: null, endDate: null, results: null, daysToDecision: null,
  };
}

describe('controllersOf', () => {
  it('PR-05: one line per organisation, accents and case aside, with each capacity and every project, alphabetical', () => {
    const list = controllersOf([
      entry('HDH-2026-0002', 'Diabète', [{ name: 'Université de Synthèse', kind: 'rt', organisationType: 'public' }, { name: 'CHU Fictif', kind: 'co_rt' }], 'submitted'),
      entry('HDH-2026-0001', 'AVC', [{ name: 'CHU fictif', kind: 'rt', organisationType: null }, { name: 'universite de synthese', kind: 'co_rt' }]),
    ]);
    expect(list.map((c) => c.name)).toEqual(['CHU Fictif', 'Université de Synthèse']);
    const chu = list[0]!;
    expect([...chu.kinds].sort()).toEqual(['co_rt', 'rt']);
    expect(chu.projects.map((p) => p.reference)).toEqual(['HDH-2026-0002', 'HDH-2026-0001']);
    expect(list[1]!.organisationType).toBe('public');
  });

  it('lists a project once per organisation even when named twice, and nothing for an empty registry', () => {
    const twice = controllersOf([entry('HDH-2026-0003', 'Cancer', [{ name: 'Institut X', kind: 'rt' }, { name: 'Institut X', kind: 'co_rt' }])]);
    expect(twice).toHaveLength(1);
    expect(twice[0]!.projects).toHaveLength(1);
    expect(controllersOf([])).toEqual([]);
  });
});
