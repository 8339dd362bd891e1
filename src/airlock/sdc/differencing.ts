/**
 * SDC-09: differencing against the project's earlier releases. Two tables each above the threshold
 * can still isolate a small group by subtraction ("all patients" then "all but those aged 90+").
 *
 * Heuristic, per earlier release:
 * - columns are paired by name among count and units columns (units count a magnitude's
 *   contributors); when no name matches and each side has one count column, those two;
 * - cells are matched on the dimensions both tables share (names compared case- and
 *   accent-insensitively, values likewise, margins — Total, Ensemble, empty… — as one label). A table
 *   with more dimensions is brought to the shared ones one dimension at a time, through its margin
 *   rows when it has them, else by summing its category rows (a hidden cell makes the sum unknown);
 * - grand totals are compared too (the row whose every dimension is a margin, else the sum of the
 *   category rows) — unless a shared dimension has no category in common (2023 against 2022: other
 *   people, not a subset);
 * - a matched pair with 0 < |a − b| < threshold fails.
 * Not covered: differences between more than two releases combined, populations matched through
 * other columns (a filter visible only in the context text), non-additive counts summed over a
 * dimension (a patient in several categories), hierarchies (a département against its region).
 */
import { dimensionKey, normalise, stateOf } from './cells.js';
import { finding, type RuleResult } from './finding.js';
import type { EarlierRelease, Finding, SdcSettings, SdcTable } from './types.js';

interface Aggregate {
  value: number | null;
  /** The row holding it, when it is one row (not a sum). */
  row: number | null;
  label: string;
}

export function differencingRule(table: SdcTable, settings: SdcSettings, earlier: EarlierRelease[]): RuleResult {
  if (!settings.differencing) return { findings: [], skipped: 'sdc.skip.differencing_off' };
  if (earlier.length === 0) return { findings: [], skipped: 'sdc.skip.no_earlier' };
  const findings: Finding[] = [];
  let compared = false;
  for (const release of earlier) {
    const pairs = pairColumns(table, release.table);
    if (pairs.length === 0) continue;
    const mine = dimensionNames(table);
    const theirs = dimensionNames(release.table);
    const shared = [...mine.keys()].filter((d) => theirs.has(d));
    const disjoint = shared.some((d) => {
      const a = categories(table, mine.get(d)!);
      const b = categories(release.table, theirs.get(d)!);
      return ![...a].some((v) => b.has(v));
    });
    if (disjoint) continue;
    compared = true;
    for (const pair of pairs) {
      const grandKey = shared.map(() => '#total').join('\u0001');
      let grandDone = false;
      if (shared.length > 0) {
        const a = aggregate(table, shared, pair.current);
        const b = aggregate(release.table, shared, pair.earlier);
        for (const [key, cur] of a) {
          const old = b.get(key);
          if (!old || cur.value === null || old.value === null) continue;
          if (key === grandKey) grandDone = true;
          const difference = Math.abs(cur.value - old.value);
          if (difference > 0 && difference < settings.threshold) {
            findings.push(
              finding(
                table,
                'SDC-09',
                'fail',
                { row: cur.row, column: pair.current },
                'sdc.differencing_cell',
                { current: cur.value, earlier: old.value, difference, threshold: settings.threshold, release: release.ref },
                cur.row === null ? { cell: `${cur.label} / ${pair.current}` } : {},
              ),
            );
          }
        }
      }
      if (grandDone) continue;
      const a = aggregate(table, [], pair.current).get('');
      const b = aggregate(release.table, [], pair.earlier).get('');
      if (!a || !b || a.value === null || b.value === null) continue;
      const difference = Math.abs(a.value - b.value);
      if (difference > 0 && difference < settings.threshold) {
        findings.push(
          finding(table, 'SDC-09', 'fail', { row: a.row, column: pair.current }, 'sdc.differencing_total', {
            current: a.value,
            earlier: b.value,
            difference,
            threshold: settings.threshold,
            release: release.ref,
          }),
        );
      }
    }
  }
  return compared ? { findings } : { findings, skipped: 'sdc.skip.no_match' };
}

/** Count and units columns of both tables, paired by name, else the single count columns. */
export function pairColumns(current: SdcTable, earlier: SdcTable): { current: string; earlier: string }[] {
  const pick = (t: SdcTable) => t.columns.filter((c) => c.role === 'count' || c.role === 'units');
  const mine = pick(current);
  const theirs = new Map(pick(earlier).map((c) => [normalise(c.name), c.name]));
  const pairs = mine.filter((c) => theirs.has(normalise(c.name))).map((c) => ({ current: c.name, earlier: theirs.get(normalise(c.name))! }));
  if (pairs.length > 0) return pairs;
  const a = current.columns.filter((c) => c.role === 'count');
  const b = earlier.columns.filter((c) => c.role === 'count');
  return a.length === 1 && b.length === 1 ? [{ current: a[0]!.name, earlier: b[0]!.name }] : [];
}

/** Normalised dimension name → its column index. */
function dimensionNames(table: SdcTable): Map<string, number> {
  return new Map(table.columns.flatMap((c, i) => (c.role === 'dimension' ? [[normalise(c.name), i] as const] : [])));
}

function categories(table: SdcTable, i: number): Set<string> {
  return new Set(table.rows.map((r) => dimensionKey(r[i] ?? null)).filter((k) => k !== '#total'));
}

/**
 * A column brought to the `shared` dimensions: key (their values) → value. The table's other
 * dimensions are removed one at a time: within each combination of the remaining dimensions, the
 * margin row when there is one, else the sum of the category rows (unknown if one is hidden).
 */
function aggregate(table: SdcTable, shared: string[], column: string): Map<string, Aggregate> {
  const dims = dimensionNames(table);
  const col = table.columns.findIndex((c) => c.name === column);
  interface Entry {
    keys: Map<string, string>;
    labels: Map<string, string>;
    value: number | null;
    row: number | null;
  }
  let entries: Entry[] = table.rows.map((r, row) => {
    const s = stateOf(r[col] ?? null);
    return {
      keys: new Map([...dims].map(([d, i]) => [d, dimensionKey(r[i] ?? null)])),
      labels: new Map([...dims].map(([d, i]) => [d, String(r[i] ?? 'Total')])),
      value: s.kind === 'number' ? s.value : null,
      row,
    };
  });
  for (const extra of [...dims.keys()].filter((d) => !shared.includes(d))) {
    const groups = new Map<string, Entry[]>();
    for (const e of entries) {
      const key = [...e.keys].filter(([d]) => d !== extra).map(([, k]) => k).join('\u0001');
      const group = groups.get(key);
      if (group) group.push(e);
      else groups.set(key, [e]);
    }
    entries = [...groups.values()].map((group) => {
      const margins = group.filter((e) => e.keys.get(extra) === '#total');
      const keys = new Map([...group[0]!.keys].filter(([d]) => d !== extra));
      const labels = new Map([...group[0]!.labels].filter(([d]) => d !== extra));
      if (margins.length === 1) return { ...margins[0]!, keys, labels };
      const parts = group.filter((e) => e.keys.get(extra) !== '#total');
      const value = parts.some((e) => e.value === null) ? null : parts.reduce((a, e) => a + e.value!, 0);
      return { keys, labels, value, row: null };
    });
  }
  const out = new Map<string, Aggregate>();
  const duplicated = new Set<string>();
  for (const e of entries) {
    const key = shared.map((d) => e.keys.get(d)!).join('\u0001');
    if (out.has(key)) duplicated.add(key);
    out.set(key, { value: e.value, row: e.row, label: shared.map((d) => e.labels.get(d)!).join(' × ') || 'Total' });
  }
  if (dims.size === 0) {
    // No dimension at all: the rows are the categories of an unnamed one.
    const values = table.rows.map((r) => stateOf(r[col] ?? null));
    out.set('', { value: values.some((v) => v.kind !== 'number') ? null : values.reduce((a, v) => a + (v.kind === 'number' ? v.value : 0), 0), row: null, label: 'Total' });
    return out;
  }
  for (const key of duplicated) out.delete(key);
  return out;
}
