/**
 * What a record pair is compared on — comparaisons et règles de blocage. Each comparison has
 * ordered levels (the first whose condition holds wins): a null level (no evidence either way),
 * agreement levels from strongest to weakest, and an "else" level. A pair's levels are packed
 * into one integer, the comparison-vector pattern (3 bits per comparison), so the model is
 * estimated over the few thousand distinct patterns instead of the millions of pairs.
 *
 * Conditions are SQL over the pair projection built in `pairProjectionSql`: `s_*` columns of the
 * source record, `r_*` of the reference record, `jw_*` Jaro–Winkler similarities computed once.
 */

export interface ComparisonLevel {
  key: string;
  /** SQL condition over the pair projection; the last level of a comparison is always TRUE. */
  when: string;
  /** No evidence: m = u = 1, the level adds nothing to the weight. */
  isNull?: true;
  /** Exact agreement on a value: the weight is adjusted by the value's frequency (rare weighs more). */
  termFrequency?: true;
}

export interface Comparison {
  key: 'last_name' | 'first_name' | 'birth_date' | 'sex' | 'commune';
  levels: ComparisonLevel[];
}

/** Jaro–Winkler thresholds of the name levels (Splink's usual pair for names). */
export const JW_HIGH = 0.92;
export const JW_LOW = 0.8;

const reversedNames = 's_ln = r_fn AND s_fn = r_ln';

export const comparisons: readonly Comparison[] = [
  {
    key: 'last_name',
    levels: [
      { key: 'null', when: 's_ln IS NULL OR r_ln IS NULL', isNull: true },
      { key: 'exact', when: 's_ln = r_ln', termFrequency: true },
      // Last and first names swapped by the source: counted here once, the first-name comparison then says nothing.
      { key: 'reversed', when: reversedNames },
      { key: `jw_${JW_HIGH}`, when: `jw_ln >= ${JW_HIGH}` },
      { key: `jw_${JW_LOW}`, when: `jw_ln >= ${JW_LOW}` },
      { key: 'else', when: 'TRUE' },
    ],
  },
  {
    key: 'first_name',
    levels: [
      { key: 'null', when: `s_fn IS NULL OR r_fn IS NULL OR (${reversedNames} AND s_ln <> r_ln)`, isNull: true },
      { key: 'exact', when: 's_fn = r_fn' },
      { key: `jw_${JW_HIGH}`, when: `jw_fn >= ${JW_HIGH}` },
      { key: `jw_${JW_LOW}`, when: `jw_fn >= ${JW_LOW}` },
      { key: 'else', when: 'TRUE' },
    ],
  },
  {
    key: 'birth_date',
    levels: [
      { key: 'null', when: 's_by IS NULL OR r_by IS NULL OR s_bm IS NULL OR r_bm IS NULL OR s_bd IS NULL OR r_bd IS NULL', isNull: true },
      { key: 'exact', when: 's_by = r_by AND s_bm = r_bm AND s_bd = r_bd' },
      { key: 'day_month_swapped', when: 's_by = r_by AND s_bd = r_bm AND s_bm = r_bd' },
      { key: 'one_component_differs', when: '(s_by = r_by)::INTEGER + (s_bm = r_bm)::INTEGER + (s_bd = r_bd)::INTEGER = 2' },
      { key: 'else', when: 'TRUE' },
    ],
  },
  {
    key: 'sex',
    levels: [
      { key: 'null', when: 's_sex IS NULL OR r_sex IS NULL', isNull: true },
      { key: 'exact', when: 's_sex = r_sex' },
      { key: 'else', when: 'TRUE' },
    ],
  },
  {
    key: 'commune',
    levels: [
      { key: 'null', when: 's_commune IS NULL OR r_commune IS NULL', isNull: true },
      { key: 'exact', when: 's_commune = r_commune' },
      { key: 'same_departement', when: 's_dep = r_dep' },
      { key: 'else', when: 'TRUE' },
    ],
  },
];

export const BITS_PER_COMPARISON = 3;

/** The level index of each comparison in a packed pattern. */
export function decodePattern(pattern: number, count = comparisons.length): number[] {
  const levels: number[] = [];
  for (let c = 0; c < count; c++) levels.push((pattern >> (BITS_PER_COMPARISON * c)) & ((1 << BITS_PER_COMPARISON) - 1));
  return levels;
}

export function encodePattern(levels: readonly number[]): number {
  return levels.reduce((acc, level, c) => acc | (level << (BITS_PER_COMPARISON * c)), 0);
}

/** SQL of a comparison's level index (CASE evaluates lazily: later conditions only for rows not yet placed). */
export function levelSql(comparison: Comparison): string {
  const branches = comparison.levels.slice(0, -1).map((l, i) => `WHEN ${l.when} THEN ${i}`);
  return `CASE ${branches.join(' ')} ELSE ${comparison.levels.length - 1} END`;
}

/** SQL of the packed pattern of a pair. */
export function patternSql(list: readonly Comparison[] = comparisons): string {
  // Every term parenthesised: in DuckDB (as in PostgreSQL) `<<` and `|` share one precedence.
  return list.map((c, i) => `((${levelSql(c)}) << ${BITS_PER_COMPARISON * i})`).join(' | ');
}

/** Normalised columns each side carries (see prepare.ts). */
const pairColumns = ['ln', 'fn', 'sex', 'by', 'bm', 'bd', 'commune', 'dep'] as const;

/**
 * The pair projection: both sides' normalised traits and the Jaro–Winkler similarities, computed
 * once per pair and skipped when the names are equal. `s` is the source alias, `r` the reference.
 */
export function pairProjectionSql(): string {
  const cols = pairColumns.flatMap((c) => [`s.${c} AS s_${c}`, `r.${c} AS r_${c}`]);
  return [
    's.row AS s_row',
    'r.row AS r_row',
    'r.tfa AS tfa',
    ...cols,
    'CASE WHEN s.ln = r.ln THEN 1.0 ELSE jaro_winkler_similarity(s.ln, r.ln) END AS jw_ln',
    'CASE WHEN s.fn = r.fn THEN 1.0 ELSE jaro_winkler_similarity(s.fn, r.fn) END AS jw_fn',
  ].join(', ');
}

/**
 * Blocking rules — règles de blocage: a pair is scored when it agrees exactly on every column of
 * at least one rule. Several rules are OR-ed; a pair found by an earlier rule is not produced
 * again by a later one, so no pair is scored twice.
 */
export const blockingRules = {
  birth_date: ['by', 'bm', 'bd'],
  last_name_soundex_birth_year: ['sdx', 'by'],
  commune_sex_birth_year: ['commune', 'sex', 'by'],
  first_name_birth_year_month: ['fn', 'by', 'bm'],
  last_name_first_name: ['ln', 'fn'],
  last_name_first_name_departement: ['ln', 'fn', 'dep'],
} as const satisfies Record<string, readonly string[]>;

export type BlockingRuleKey = keyof typeof blockingRules;
export const blockingRuleKeys = Object.keys(blockingRules) as BlockingRuleKey[];
/**
 * The default rules: exact birth date; similar-sounding last name and birth year; commune, sex
 * and birth year; same last and first names (finds people whose birth date is missing or wrong,
 * and lets the model learn the birth date's m without blocking on it).
 */
export const DEFAULT_BLOCKING: readonly BlockingRuleKey[] = ['birth_date', 'last_name_soundex_birth_year', 'commune_sex_birth_year', 'last_name_first_name'];

function ruleCondition(rule: BlockingRuleKey): string {
  return blockingRules[rule].map((c) => `s.${c} = r.${c}`).join(' AND ');
}

/** Which comparison each blocking column belongs to. */
const comparisonOfColumn: Record<string, Comparison['key']> = { by: 'birth_date', bm: 'birth_date', bd: 'birth_date', sdx: 'last_name', ln: 'last_name', fn: 'first_name', sex: 'sex', commune: 'commune', dep: 'commune' };

/** The comparisons a rule's columns touch: every pair it finds agrees there, so they sit out of its EM session. */
export function touchedBy(rule: BlockingRuleKey, list: readonly Comparison[] = comparisons): boolean[] {
  const keys = new Set(blockingRules[rule].map((c) => comparisonOfColumn[c]));
  return list.map((c) => keys.has(c.key));
}

/**
 * Bit i set when the pair satisfies rule i (a pair may satisfy several; it is produced once), for
 * the pairs produced by rule `producedBy`: that rule's bit is known, the earlier rules' bits are
 * known to be 0 (their pairs were excluded), so only the later rules are evaluated.
 */
export function rulesMaskSql(rules: readonly BlockingRuleKey[], producedBy: number): string {
  const later = rules.slice(producedBy + 1).map((r, k) => `(CASE WHEN coalesce(${ruleCondition(r)}, false) THEN ${1 << (producedBy + 1 + k)} ELSE 0 END)`);
  return [String(1 << producedBy), ...later].join(' | ');
}

/** One SELECT per rule, each excluding the pairs of the rules before it; to be UNION ALL-ed. */
export function blockedPairSelects(rules: readonly BlockingRuleKey[], select: (rule: BlockingRuleKey, index: number) => string): string[] {
  return rules.map((rule, i) => {
    const earlier = rules.slice(0, i).map((e) => `NOT coalesce(${ruleCondition(e)}, false)`);
    return `${select(rule, i)} FROM src s JOIN ref r ON ${ruleCondition(rule)}${earlier.length ? ` WHERE ${earlier.join(' AND ')}` : ''}`;
  });
}
