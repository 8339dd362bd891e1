/**
 * The extraction plan: which lake tables the perimeter names, which of their columns identify a
 * person, how each table is tied to a person when it has no identifier of its own, and how the
 * authorised period applies — all decided from the catalogue (sensitivity and joins), so the
 * extractor only has to turn the plan into SQL.
 *
 * - A perimeter table is a lake table of that name, or a template (T_MCOaaB) standing for its
 *   yearly tables (T_MCO19B…) within the period. The newest release holding it wins.
 * - Person identifiers: variables the catalogue marks `direct_identifier`. They are all replaced
 *   by project pseudonyms; those naming another person (the insured who opens the rights, a
 *   newborn's mother) do not decide whose rows are removed on opposition.
 * - A table without identifiers is tied to the nearest table that has some through catalogue
 *   joins whose keys carry along (T_MCO19D → T_MCO19B → T_MCO19C; ER_PHA_F → ER_PRS_F): its rows
 *   follow that table's kept rows. A table tied to nobody holds no person (a referential).
 * - Period: yearly tables by their year; care dates (EXE_SOI_DTD), long-term illnesses in force
 *   (IMB_ALD_DTD..IMB_ALD_DTF), deaths (BEN_DCD_DTE in KI_*) by row; other tables follow their
 *   anchor or take no period (the beneficiary referential).
 */
import { HdhError } from '../platform/errors.js';
import type { Lake, ReleaseManifest } from '../platform/lake/lake.js';
import type { ReleaseRef } from './schema.js';

/** Identifiers of a person other than the row's own: pseudonymised, never a reason to drop the row. */
export const relatedPersonIdentifiers = new Set(['ASS_NIR_ANO', 'NIR_ANO_MAM']);

export interface CatalogueJoin {
  fromTable: string;
  fromFields: string[];
  toTable: string;
  toFields: string[];
}

export interface TableFacts {
  /** The catalogue's table (a template for yearly tables). */
  template: string;
  columns: string[];
  /** Variables with sensitivity `direct_identifier`. */
  identifiers: string[];
  joins: CatalogueJoin[];
  primaryKey: string[];
}

/** What the extraction asks the catalogue. */
export interface ExtractionCatalogue {
  describe(name: string): Promise<TableFacts | null>;
}

export type PeriodRule =
  | { kind: 'year_in_name'; year: number }
  | { kind: 'within'; column: string }
  | { kind: 'overlaps'; start: string; end: string };

export interface PlannedTable {
  name: string;
  release: ReleaseRef;
  files: string[];
  /** Delivered to the project (else only read to filter another table). */
  output: boolean;
  /** Perimeter columns, in the perimeter's order (outputs only). */
  columns: string[];
  pseudonymised: string[];
  /** Identifiers deciding, on opposition, whether a row is removed. */
  personColumns: string[];
  period: PeriodRule | null;
  /** The table whose kept rows this one follows, and the key pairs (this table's field, anchor's field). */
  anchor: { table: string; keys: [string, string][] } | null;
  /** The catalogue's primary key (the anchor's rows are unique on it). */
  primaryKey: string[];
}

export interface ExtractionPlan {
  tables: PlannedTable[];
  /** Tables with several identifiers of their own person: they tie identifiers together for opposition. */
  closureTables: PlannedTable[];
  releases: ReleaseRef[];
}

export interface PerimeterInput {
  tables: { name: string; columns: string[] }[];
  period: { from: string; to: string };
}

export const templateYear = (template: string, name: string): number | null => {
  const at = template.indexOf('aa');
  if (at < 0 || template === name) return null;
  const yy = name.slice(at, at + 2);
  return /^\d\d$/.test(yy) ? 2000 + Number(yy) : null;
};

/** The newest release of each name: the lake's current data. */
export function currentReleases(lake: Lake): ReleaseManifest[] {
  const latest = new Map<string, ReleaseManifest>();
  for (const m of lake.listReleases()) if (!latest.has(m.name) || latest.get(m.name)!.version < m.version) latest.set(m.name, m);
  return [...latest.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.name.localeCompare(b.name));
}

function periodRule(facts: TableFacts, name: string): PeriodRule | null {
  const year = templateYear(facts.template, name);
  if (year !== null) return { kind: 'year_in_name', year };
  const has = (c: string) => facts.columns.includes(c);
  if (has('EXE_SOI_DTD')) return { kind: 'within', column: 'EXE_SOI_DTD' };
  if (has('IMB_ALD_DTD') && has('IMB_ALD_DTF')) return { kind: 'overlaps', start: 'IMB_ALD_DTD', end: 'IMB_ALD_DTF' };
  if (has('BEN_DCD_DTE') && name.startsWith('KI_')) return { kind: 'within', column: 'BEN_DCD_DTE' };
  return null;
}

/**
 * Breadth-first over catalogue joins from `template` to the nearest template with person
 * identifiers, following only joins whose fields on the current side are keys carried from the
 * start (so the start table's own fields can be compared with the anchor's). Three hops at most.
 */
export async function findAnchor(template: string, catalogue: ExtractionCatalogue): Promise<{ template: string; keys: [string, string][] } | null> {
  type State = { table: string; carried: Map<string, string> | null };
  let frontier: State[] = [{ table: template, carried: null }];
  const seen = new Set([template]);
  for (let depth = 0; depth < 3 && frontier.length; depth++) {
    const next: State[] = [];
    for (const state of frontier) {
      const facts = await catalogue.describe(state.table);
      for (const j of facts?.joins ?? []) {
        const forward = j.fromTable === state.table;
        const [here, there, other] = forward ? [j.fromFields, j.toFields, j.toTable] : [j.toFields, j.fromFields, j.fromTable];
        if (seen.has(other) || here.length !== there.length) continue;
        if (state.carried && !here.every((f) => state.carried!.has(f))) continue;
        const carried = new Map(here.map((f, i) => [there[i]!, state.carried ? state.carried.get(f)! : f]));
        const otherFacts = await catalogue.describe(other);
        if (!otherFacts) continue;
        if (otherFacts.identifiers.some((c) => !relatedPersonIdentifiers.has(c))) {
          return { template: other, keys: [...carried.entries()].map(([anchorField, startField]) => [startField, anchorField]) };
        }
        seen.add(other);
        next.push({ table: other, carried });
      }
    }
    frontier = next;
  }
  return null;
}

function problem(code: string, params: Record<string, unknown>, location: string, message: string): HdhError {
  return new HdhError(code, 409, params, [{ location, message }]);
}

export async function planExtraction(perimeter: PerimeterInput, lake: Lake, catalogue: ExtractionCatalogue): Promise<ExtractionPlan> {
  const releases = currentReleases(lake);
  // Every lake table of the current releases, the newest release first, with its catalogue facts.
  const lakeTables = new Map<string, { manifest: ReleaseManifest; facts: TableFacts | null }>();
  for (const m of releases) for (const t of m.tables) if (!lakeTables.has(t.name)) lakeTables.set(t.name, { manifest: m, facts: await catalogue.describe(t.name) });
  const fromYear = Number(perimeter.period.from.slice(0, 4));
  const toYear = Number(perimeter.period.to.slice(0, 4));

  const planned = new Map<string, PlannedTable>();
  const plan = (name: string, output: boolean, columns: string[]): PlannedTable => {
    const found = lakeTables.get(name)!;
    const facts = found.facts!;
    const existing = planned.get(name);
    if (existing) {
      if (output) Object.assign(existing, { output, columns, pseudonymised: columns.filter((c) => facts.identifiers.includes(c)) });
      return existing;
    }
    const t: PlannedTable = {
      name, release: { name: found.manifest.name, version: found.manifest.version }, files: lake.tableFiles(found.manifest, name)!, output, columns,
      pseudonymised: columns.filter((c) => facts.identifiers.includes(c)),
      personColumns: facts.identifiers.filter((c) => !relatedPersonIdentifiers.has(c)),
      period: periodRule(facts, name), anchor: null, primaryKey: facts.primaryKey,
    };
    planned.set(name, t);
    return t;
  };

  for (const [i, wanted] of perimeter.tables.entries()) {
    const matches = [...lakeTables.entries()].filter(([name, { facts }]) => {
      if (name === wanted.name) return true;
      if (facts?.template !== wanted.name || name === facts.template) return false;
      const year = templateYear(facts.template, name);
      return year !== null && year >= fromYear && year <= toYear;
    });
    if (!matches.length) throw problem('extraction.table_missing', { table: wanted.name }, `perimeter.tables[${i}].name`, `no current lake release holds ${wanted.name}${wanted.name.includes('aa') ? ' for the period' : ''}`);
    for (const [name, { facts }] of matches) {
      if (!facts) throw problem('extraction.table_unknown', { table: name }, `perimeter.tables[${i}].name`, `${name} is not in the catalogue`);
      for (const [j, c] of wanted.columns.entries()) if (!facts.columns.includes(c)) throw problem('extraction.column_missing', { table: name, column: c }, `perimeter.tables[${i}].columns[${j}]`, `${c} is not a column of ${name}`);
      plan(name, true, wanted.columns);
    }
  }

  // Anchors: the table each person-less table follows (planned too, not delivered).
  for (const t of [...planned.values()]) await attachAnchor(t);
  async function attachAnchor(t: PlannedTable): Promise<void> {
    if (t.personColumns.length || t.anchor) return;
    const facts = lakeTables.get(t.name)!.facts!;
    const found = await findAnchor(facts.template, catalogue);
    if (!found) return;
    const year = templateYear(facts.template, t.name);
    const anchorName = year !== null && found.template.includes('aa') ? found.template.replace('aa', String(year % 100).padStart(2, '0')) : found.template;
    if (!lakeTables.get(anchorName)?.facts) throw problem('extraction.anchor_missing', { table: t.name, anchor: anchorName }, `lake.${t.name}`, `${t.name} is tied to people through ${anchorName}, which no current release holds`);
    t.anchor = { table: anchorName, keys: found.keys };
    const anchor = plan(anchorName, planned.get(anchorName)?.output ?? false, planned.get(anchorName)?.columns ?? []);
    await attachAnchor(anchor);
  }

  const closureTables = [...lakeTables.entries()]
    .filter(([, { facts }]) => facts && facts.identifiers.filter((c) => !relatedPersonIdentifiers.has(c)).length >= 2)
    .map(([name]) => planned.get(name) ?? plan(name, false, []));

  const tables = order([...planned.values()]);
  const used = new Map<string, ReleaseRef>();
  for (const t of [...tables, ...closureTables]) used.set(`${t.release.name}@${t.release.version}`, t.release);
  return { tables, closureTables, releases: [...used.values()].sort((a, b) => a.name.localeCompare(b.name)) };
}

/** Anchors before the tables that follow them. */
function order(tables: PlannedTable[]): PlannedTable[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const out: PlannedTable[] = [];
  const done = new Set<string>();
  const visit = (t: PlannedTable) => {
    if (done.has(t.name)) return;
    done.add(t.name);
    if (t.anchor) visit(byName.get(t.anchor.table)!);
    out.push(t);
  };
  for (const t of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(t);
  return out;
}
