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

/** Above this many unknowns in one connected group, the exact pass is skipped (review instead). */
export const MAX_GROUP_UNKNOWNS = 4000;
const EPS = 1e-7;

/**
 * @param valueOf a published cell's value, or null when it is hidden (suppressed, empty, text).
 */
export function recomputeHidden(relations: Relation[], valueOf: (ref: CellRef) => number | null): Recomputation {
  const known = new Map<string, number>();
  const unknownRefs = new Map<string, CellRef>();
  const lines = relations
    .map((relation) => ({ relation, cells: [relation.total, ...relation.parts], signs: [-1, ...relation.parts.map(() => 1)] }))
    .filter((line) => {
      let hidden = false;
      for (const ref of line.cells) {
        const key = refKey(ref);
        const v = valueOf(ref);
        if (v === null) {
          hidden = true;
          unknownRefs.set(key, ref);
        } else known.set(key, v);
      }
      return hidden;
    });

  // Pass 1: single-unknown lines, propagated.
  const determined: Recomputed[] = [];
  const linesOf = new Map<string, number[]>();
  lines.forEach((line, i) => {
    for (const ref of line.cells) {
      const key = refKey(ref);
      if (!unknownRefs.has(key)) continue;
      const own = linesOf.get(key);
      if (own) own.push(i);
      else linesOf.set(key, [i]);
    }
  });
  const queue = lines.map((_, i) => i);
  while (queue.length > 0) {
    const line = lines[queue.pop()!]!;
    const open = line.cells.map((ref, j) => ({ ref, j })).filter(({ ref }) => !known.has(refKey(ref)));
    if (open.length !== 1) continue;
    const { ref, j } = open[0]!;
    // Σ sign·cell = 0, so the open cell is −(Σ of the others' sign·value) / its sign.
    let rest = 0;
    line.cells.forEach((other, k) => {
      if (k !== j) rest += line.signs[k]! * known.get(refKey(other))!;
    });
    const value = tidy(-rest / line.signs[j]!);
    known.set(refKey(ref), value);
    determined.push({ ref, value, via: 'line', relation: line.relation });
    queue.push(...(linesOf.get(refKey(ref)) ?? []));
  }

  // Pass 2: the rest of the system, per connected group of unknowns.
  const open = lines.filter((line) => line.cells.some((ref) => !known.has(refKey(ref))));
  const parent = new Map<string, string>();
  const find = (k: string): string => {
    let root = k;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(k, root);
    return root;
  };
  for (const line of open) {
    const keys = line.cells.map(refKey).filter((k) => !known.has(k));
    for (const k of keys) if (!parent.has(k)) parent.set(k, k);
    for (const k of keys.slice(1)) parent.set(find(k), find(keys[0]!));
  }
  const groups = new Map<string, typeof open>();
  for (const line of open) {
    const first = line.cells.map(refKey).find((k) => !known.has(k))!;
    const root = find(first);
    const group = groups.get(root);
    if (group) group.push(line);
    else groups.set(root, [line]);
  }
  const unresolved: CellRef[] = [];
  for (const group of groups.values()) {
    const columns = new Map<string, number>();
    for (const line of group) for (const ref of line.cells) if (!known.has(refKey(ref)) && !columns.has(refKey(ref))) columns.set(refKey(ref), columns.size);
    const refs = [...columns.keys()].map((k) => unknownRefs.get(k)!);
    if (columns.size > MAX_GROUP_UNKNOWNS) {
      unresolved.push(...refs);
      continue;
    }
    const equations = group.map((line) => {
      const coefficients = new Map<number, number>();
      let rhs = 0;
      line.cells.forEach((ref, k) => {
        const key = refKey(ref);
        const sign = line.signs[k]!;
        if (known.has(key)) rhs -= sign * known.get(key)!;
        else coefficients.set(columns.get(key)!, (coefficients.get(columns.get(key)!) ?? 0) + sign);
      });
      return { coefficients, rhs };
    });
    for (const { column, value } of solveDetermined(equations)) {
      determined.push({ ref: refs[column]!, value: tidy(value), via: 'system' });
    }
  }
  return { determined, unresolved };
}

interface Equation {
  coefficients: Map<number, number>;
  rhs: number;
}

/**
 * Sparse Gauss–Jordan: keeps a basis in reduced form (each pivot column appears in its row only)
 * and returns the unknowns whose pivot row has no other unknown: their value is fixed.
 */
export function solveDetermined(equations: Equation[]): { column: number; value: number }[] {
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
    for (const [c, v] of source.coefficients) {
      const next = (target.coefficients.get(c) ?? 0) - factor * v;
      if (Math.abs(next) < EPS) target.coefficients.delete(c);
      else target.coefficients.set(c, next);
    }
    target.rhs -= factor * source.rhs;
  };
  for (const equation of equations) {
    const row: Equation = { coefficients: new Map(equation.coefficients), rhs: equation.rhs };
    for (const c of [...row.coefficients.keys()]) {
      const factor = row.coefficients.get(c);
      const pivotRow = basis.get(c);
      if (factor !== undefined && pivotRow) subtract(row, pivotRow, factor);
    }
    if (row.coefficients.size === 0) continue; // dependent (or inconsistent: a table error, not our concern here)
    let pivot = -1;
    let best = 0;
    for (const [c, v] of row.coefficients) {
      if (Math.abs(v) > best) {
        best = Math.abs(v);
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
