/**
 * Where each table of a release goes on the ClickHouse cluster, decided from the catalogue the
 * same way the extraction plan ties tables to people (plan.ts): a table with identifiers of its
 * own person goes by its first one; a table without follows its anchor (the nearest table with
 * identifiers through catalogue joins), so the extraction's "follows" filters run shard-locally;
 * a table tied to nobody is a referential, copied to every shard.
 */
import type { ReleaseManifest } from '../platform/lake/lake.js';
import type { TableRouting } from '../platform/lake/clickhouse-lake.js';
import { findAnchor, relatedPersonIdentifiers, templateYear, type ExtractionCatalogue } from './plan.js';

export async function clusterRouting(manifest: ReleaseManifest, catalogue: ExtractionCatalogue): Promise<Record<string, TableRouting>> {
  const names = new Set(manifest.tables.map((t) => t.name));
  const person = new Map<string, string>();
  const facts = new Map(await Promise.all(manifest.tables.map(async (t) => [t.name, await catalogue.describe(t.name)] as const)));
  for (const [name, f] of facts) {
    const own = f?.identifiers.filter((c) => !relatedPersonIdentifiers.has(c) && f.columns.includes(c)) ?? [];
    if (own.length) person.set(name, own[0]!);
  }
  const out: Record<string, TableRouting> = {};
  for (const [name, f] of facts) {
    const column = person.get(name);
    if (column) {
      out[name] = { kind: 'person', column };
      continue;
    }
    const found = f ? await findAnchor(f.template, catalogue) : null;
    const year = f ? templateYear(f.template, name) : null;
    const anchor = found && (year !== null && found.template.includes('aa') ? found.template.replace('aa', String(year % 100).padStart(2, '0')) : found.template);
    out[name] = found && anchor && names.has(anchor) && person.has(anchor) ? { kind: 'anchor', table: anchor, keys: found.keys } : { kind: 'copy' };
  }
  return out;
}
