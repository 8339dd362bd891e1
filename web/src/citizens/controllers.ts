/**
 * The data controllers of the public registry, one entry per organisation: built from the
 * registry's open data, so the citizens' page lists exactly what the registry does (PR-05).
 */
import type { RegistryEntry } from '../projects/types.ts';

export interface Controller {
  name: string;
  kinds: Set<'rt' | 'co_rt'>;
  organisationType: string | null;
  projects: { reference: string; title: string; status: RegistryEntry['status'] }[];
}

/** One entry per organisation (names compared without case or accents), alphabetical. */
export function controllersOf(entries: RegistryEntry[]): Controller[] {
  const fold = (s: string) => s.normalize('NFD').replace(/\p{Diacritic}/gu, '').toLowerCase().trim();
  const byName = new Map<string, Controller>();
  for (const e of entries) {
    for (const c of e.dataControllers) {
      const key = fold(c.name);
      const found = byName.get(key) ?? { name: c.name, kinds: new Set(), organisationType: null, projects: [] };
      found.kinds.add(c.kind);
      found.organisationType ??= c.organisationType ?? null;
      if (!found.projects.some((p) => p.reference === e.reference)) found.projects.push({ reference: e.reference, title: e.title, status: e.status });
      byName.set(key, found);
    }
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}
