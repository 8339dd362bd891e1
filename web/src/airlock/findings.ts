/**
 * Where a report's findings fall on the grid (pure, unit-tested): a finding names a cell (row and
 * column), a whole column (row null), a whole row (column null) or the whole table (both null).
 * Each place takes the worst verdict of its findings and the numbers of those findings, which the
 * grid shows as text markers linking to the list of findings (not colour alone).
 */
import type { Cell, Finding } from './types.ts';

export type Mark = 'fail' | 'review';

export interface Flag {
  mark: Mark;
  /** 1-based numbers of the findings, in report order (the legend's numbering). */
  findings: number[];
  rules: string[];
}

export interface GridFlags {
  cells: Map<string, Flag>;
  columns: Map<string, Flag>;
  rows: Map<number, Flag>;
  /** Findings about the whole table (row-level data, a model's degrees of freedom…). */
  table: Flag | null;
}

export const cellKey = (row: number, column: string) => `${row}\u0000${column}`;

function add(flag: Flag | undefined, finding: Finding, n: number): Flag {
  const mark: Mark = finding.verdict === 'fail' || flag?.mark === 'fail' ? 'fail' : 'review';
  const rules = flag?.rules ?? [];
  return { mark, findings: [...(flag?.findings ?? []), n], rules: rules.includes(finding.rule) ? rules : [...rules, finding.rule] };
}

export function flagGrid(findings: readonly Finding[]): GridFlags {
  const flags: GridFlags = { cells: new Map(), columns: new Map(), rows: new Map(), table: null };
  findings.forEach((f, i) => {
    const n = i + 1;
    if (f.row !== null && f.column !== null) flags.cells.set(cellKey(f.row, f.column), add(flags.cells.get(cellKey(f.row, f.column)), f, n));
    else if (f.column !== null) flags.columns.set(f.column, add(flags.columns.get(f.column), f, n));
    else if (f.row !== null) flags.rows.set(f.row, add(flags.rows.get(f.row), f, n));
    else flags.table = add(flags.table ?? undefined, f, n);
  });
  return flags;
}

/** How many cells of each mark, for the grid's summary line. */
export function countMarks(flags: GridFlags): Record<Mark, number> {
  const counts: Record<Mark, number> = { fail: 0, review: 0 };
  for (const f of flags.cells.values()) counts[f.mark] += 1;
  return counts;
}

/** A finding's values as `name = value` text (`{ count: 4, threshold: 10 }` → `count = 4, threshold = 10`). */
export function valuesText(values: Finding['values']): string {
  return Object.entries(values)
    .map(([k, v]) => `${k} = ${v === null ? '∅' : String(v)}`)
    .join(', ');
}

/** A cell as text: empty cells read as an empty-set sign so that they are not mistaken for blanks. */
export function cellText(cell: Cell): string {
  if (cell === null) return '∅';
  return typeof cell === 'number' ? String(cell) : cell;
}

/** The first rows of a grid worth looking at: a long table shows its flagged rows first, then the rest up to `limit`. */
export function rowsToShow(rowCount: number, flags: GridFlags, limit: number): number[] {
  if (rowCount <= limit) return Array.from({ length: rowCount }, (_, i) => i);
  const flagged = new Set<number>(flags.rows.keys());
  for (const key of flags.cells.keys()) flagged.add(Number(key.split('\u0000')[0]));
  const picked = [...flagged].filter((r) => r < rowCount).sort((a, b) => a - b).slice(0, limit);
  for (let r = 0; picked.length < limit && r < rowCount; r += 1) if (!flagged.has(r)) picked.push(r);
  return picked.sort((a, b) => a - b);
}
