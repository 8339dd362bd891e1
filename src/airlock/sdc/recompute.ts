/**
 * Which hidden cells an attacker can recompute from the published cells and the table's additive
 * relations (SDC-03, and the loop of the secondary suppression in ./fix.ts).
 *
 * Each relation reads `total = Σ parts`; the hidden cells are the unknowns. A hidden cell is
 * determined when it takes the same value in every solution of this linear system — in linear
 * algebra terms, when no vector of the system's null space moves it. Two passes:
 * 1. *line by line* (what a person does by hand): a line with a single unknown gives it; the value
 *    found is then known for the other lines, until nothing moves;
 * 2. *the whole system*: the remaining lines, per connected group of unknowns, brought to reduced
 *    row echelon form (sparse Gauss–Jordan); an unknown is determined when its pivot row has no
 *    other unknown left. This catches what no single line shows (in a 2-D table, a suppression
 *    pattern that does not close into rectangles).
 * Not covered: bounds (interval disclosure) from non-negativity — an unknown pinned into a narrow
 * range without being determined — which τ-Argus handles with protection levels.
 */
import { refKey, type CellRef, type Relation } from './structure.js';

export interface Recomputed {
  ref: CellRef;
  /** The value the published cells give it (a rounding of floating sums). */
  value: number;
  via: 'line' | 'system';
  /** The relation that gave it (line by line), for the report. */
  relation?: Relation;
}

export interface Recomputation {
  determined: Recomputed[];
  /** Hidden cells of a group too large to solve exactly (reported for review, not as recomputable). */
  unresolved: CellRef[];
}

/**
 * Work allowed to the exact pass, in coefficient updates, per connected group: a 100,000-row
 * commune × age table with 14,000 suppressed cells needs a few million; a group that would need
 * more is reported for review instead of holding the request for minutes.
 */
export const ELIMINATION_BUDGET = 100_000_000;
const EPS = 1e-7;

/**
 * @param valueOf a published cell's value, or null when it is hidden (suppressed, empty, text).
 */
export function recomputeHidden(relations: Relation[], valueOf: (ref: CellRef) => number | null): Recomputation {
  const known = new Map<string, number>();
  const unknownRefs = new Map<string, CellRef>();
  const lines: { relation: Relation; cells: CellRef[]; keys: string[]; signs: number[]; open: number }[] = [];
  for (const relation of relations) {
    const cells = [relation.total, ...relation.parts];
    const keys = cells.map(refKey);
    let open = 0;
    cells.forEach((ref, j) => {
      const v = valueOf(ref);
      if (v === null) {
        open++;
        unknownRefs.set(keys[j]!, ref);
      } else known.set(keys[j]!, v);
    });
    if (open > 0) lines.push({ relation, cells, keys, signs: cells.map((_, j) => (j === 0 ? -1 : 1)), open });
  }
  // An unknown shared by two lines is counted open in each; `open` drops as unknowns get solved.
  const linesOf = new Map<string, number[]>();
  lines.forEach((line, i) => {
    for (const key of line.keys) {
      if (!unknownRefs.has(key)) continue;
      const own = linesOf.get(key);
      if (own) own.push(i);
      else linesOf.set(key, [i]);
    }
  });

  // Pass 1: single-unknown lines, propagated.
  const determined: Recomputed[] = [];
  const queue = lines.flatMap((line, i) => (line.open === 1 ? [i] : []));
  while (queue.length > 0) {
    const line = lines[queue.pop()!]!;
    if (line.open !== 1) continue;
    const j = line.keys.findIndex((k) => !known.has(k));
    // Σ sign·cell = 0, so the open cell is −(Σ of the others' sign·value) / its sign.
    let rest = 0;
    line.keys.forEach((key, k) => {
      if (k !== j) rest += line.signs[k]! * known.get(key)!;
    });
    const value = tidy(-rest / line.signs[j]!);
    const key = line.keys[j]!;
    known.set(key, value);
    determined.push({ ref: line.cells[j]!, value, via: 'line', relation: line.relation });
    for (const i of linesOf.get(key) ?? []) {
      // A cell appears once per line, so each of its lines has one unknown fewer.
      lines[i]!.open--;
      if (lines[i]!.open === 1) queue.push(i);
    }
  }

  // Pass 2: the rest of the system, per connected group of unknowns.
  const open = lines.filter((line) => line.open > 0);
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let root = k;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(k, root);
    return root;
  };
  for (const line of open) {
    const keys = line.keys.filter((k) => !known.has(k));
    for (const k of keys) if (!parent.has(k)) parent.set(k, k);
    for (const k of keys.slice(1)) parent.set(find(k), find(keys[0]!));
  }
  const groups = new Map<string, typeof open>();
  for (const line of open) {
    const root = find(line.keys.find((k) => !known.has(k))!);
    const group = groups.get(root);
    if (group) group.push(line);
    else groups.set(root, [line]);
  }
  const unresolved: CellRef[] = [];
  for (const group of groups.values()) {
    const columns = new Map<string, number>();
    for (const line of group) for (const key of line.keys) if (!known.has(key) && !columns.has(key)) columns.set(key, columns.size);
    const refs = [...columns.keys()].map((k) => unknownRefs.get(k)!);
    const equations = group.map((line) => {
      const coefficients = new Map<number, number>();
      let rhs = 0;
      line.keys.forEach((key, k) => {
        const sign = line.signs[k]!;
        if (known.has(key)) rhs -= sign * known.get(key)!;
        else coefficients.set(columns.get(key)!, (coefficients.get(columns.get(key)!) ?? 0) + sign);
      });
      return { coefficients, rhs };
    });
    const solved = solveDetermined(equations, ELIMINATION_BUDGET);
    if (solved === null) {
      unresolved.push(...refs);
      continue;
    }
    for (const { column, value } of solved) determined.push({ ref: refs[column]!, value: tidy(value), via: 'system' });
  }
  return { determined, unresolved };
}

interface Equation {
  coefficients: Map<number, number>;
  rhs: number;
}

/**
 * Sparse Gauss–Jordan: keeps a basis in reduced form (each pivot column appears in its row only)
 * and returns the unknowns whose pivot row has no other unknown: their value is fixed. Null when
 * the work exceeds `budget` coefficient updates.
 */
export function solveDetermined(equations: Equation[], budget = Infinity): { column: number; value: number }[] | null {
  let work = 0;
  const basis = new Map<number, Equation>(); // pivot column → row with coefficient 1 there
  const rowsWith = new Map<number, Set<number>>(); // column → pivot columns of basis rows using it
  const track = (pivot: number, row: Equation) => {
    for (const c of row.coefficients.keys()) {
      if (!rowsWith.has(c)) rowsWith.set(c, new Set());
      rowsWith.get(c)!.add(pivot);
    }
  };
  const untrack = (pivot: number, row: Equation) => {
    for (const c of row.coefficients.keys()) rowsWith.get(c)?.delete(pivot);
  };
  const subtract = (target: Equation, source: Equation, factor: number) => {
    work += source.coefficients.size;
    for (const [c, v] of source.coefficients) {
      const next = (target.coefficients.get(c) ?? 0) - factor * v;
      if (Math.abs(next) < EPS) target.coefficients.delete(c);
      else target.coefficients.set(c, next);
    }
    target.rhs -= factor * source.rhs;
  };
  // Short equations first, and pivots on the columns fewest basis rows use: far less fill-in (a 2-D
  // table's row lines hold 2–3 unknowns, its column lines hundreds).
  const ordered = [...equations].sort((a, b) => a.coefficients.size - b.coefficients.size);
  for (const equation of ordered) {
    const row: Equation = { coefficients: new Map(equation.coefficients), rhs: equation.rhs };
    for (const c of [...row.coefficients.keys()]) {
      const factor = row.coefficients.get(c);
      const pivotRow = basis.get(c);
      if (factor !== undefined && pivotRow) subtract(row, pivotRow, factor);
    }
    if (work > budget) return null;
    if (row.coefficients.size === 0) continue; // dependent (or inconsistent: a table error, not our concern here)
    let pivot = -1;
    let best = 0;
    let uses = Infinity;
    for (const [c, v] of row.coefficients) {
      const n = rowsWith.get(c)?.size ?? 0;
      // Any coefficient of a 0/±1 system is a safe pivot; prefer the larger one only when it is much larger.
      if (Math.abs(v) > 4 * best || (Math.abs(v) * 4 >= best && n < uses)) {
        best = Math.max(best, Math.abs(v));
        uses = n;
        pivot = c;
      }
    }
    const scale = row.coefficients.get(pivot)!;
    for (const [c, v] of row.coefficients) row.coefficients.set(c, v / scale);
    row.rhs /= scale;
    // Keep the basis reduced: remove the new pivot from every row that uses it.
    for (const other of [...(rowsWith.get(pivot) ?? [])]) {
      const otherRow = basis.get(other)!;
      const factor = otherRow.coefficients.get(pivot);
      if (factor === undefined) continue;
      untrack(other, otherRow);
      subtract(otherRow, row, factor);
      track(other, otherRow);
    }
    basis.set(pivot, row);
    track(pivot, row);
  }
  const out: { column: number; value: number }[] = [];
  for (const [pivot, row] of basis) if (row.coefficients.size === 1) out.push({ column: pivot, value: row.rhs });
  return out;
}

/** Floating sums of integers come back as 2.9999999998: give the integer when that close. */
function tidy(value: number): number {
  const rounded = Math.round(value);
  return Math.abs(value - rounded) < 1e-6 ? rounded : Math.round(value * 1e6) / 1e6;
}
