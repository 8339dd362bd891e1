/**
 * SDC-07 (EXP-01..EXP-04): no row-level data leaves. Four signs, each a failing finding unless
 * said otherwise:
 * - a column named like a person, stay or health-professional identifier (lists below, from the
 *   SNDS schemas — schema-snds BENEFICIAIRE, DCIR, PMSI, Causes de décès — and generic names);
 * - a column whose values look like pseudonyms (long hexadecimal or base64 strings), NIRs or RPPS
 *   numbers, mostly distinct;
 * - a potential identifier (settings.potentialIdentifiers: commune, birth year-month, care date,
 *   death date, commune of death); day-precision dates in any other column go to review;
 * - one row per person: every count is 1, or no count/magnitude/statistic column and many distinct rows.
 */
import { isMarginRow, normalise, stateOf } from './cells.js';
import { finding, type RuleResult } from './finding.js';
import type { Cell, Finding, SdcSettings, SdcTable } from './types.js';

/** Exact names (normalised: lower case, `_` as space) of person identifiers — EXP-02. */
const PERSON_IDENTIFIERS = new Set([
  'nir',
  'ben nir psa', // pseudonym of the beneficiary (DCIR, PMSI)
  'ben nir ano',
  'ben nir idt', // EGB
  'ben idt ano', // BENEFICIAIRE
  'nir ano 17', // PMSI
  'nir ano mam', // PMSI, mother's
  'ass nir ano', // person opening the rights
  'ben rat ano', // work-accident annuity number
  'dcd idt enc', // Causes de décès
  'pseudonym',
  'pseudonyme',
  'pseudo',
  'id patient',
  'patient id',
  'id beneficiaire',
  'beneficiary id',
  'id personne',
  'person id',
  'id individu',
  'num enq',
  'nom',
  'prenom',
  'nom naissance',
  'nom usage',
  'last name',
  'first name',
  'surname',
  'adresse',
  'address',
  'email',
  'courriel',
  'telephone',
  'phone',
]);

/** Exact names of stay or record identifiers: a row per stay is a row per person's stay — EXP-02. */
const RECORD_IDENTIFIERS = new Set(['sej idt', 'rsa num', 'rss num', 'rha num', 'rhs num', 'rhad num', 'seq num', 'sseq num', 'rip num', 'fac num', 'dct ord num', 'prs ord num']);

/**
 * Exact names of health-professional identifiers, even anonymised — EXP-03. PRS_NAT (nature of the
 * service) and ETA_NUM (FINESS, an establishment) are not person identifiers and stay out.
 */
const PROFESSIONAL_IDENTIFIERS = new Set(['pfs exe num', 'pfs pre num', 'pfs pfs num', 'pfs exe numc', 'pfs pre numc', 'psp pps num', 'mtt pfs num', 'sta pfs num', 'fis pfs num', 'rpps', 'adeli', 'num rpps', 'num adeli', 'id ps', 'ps id', 'id professionnel', 'id prescripteur']);

type Kind = 'person' | 'record' | 'professional';

/** Which identifier a column name looks like, and why (the list entry or the pattern). */
export function identifierKind(name: string): { kind: Kind; match: string } | null {
  const n = normalise(name);
  const tokens = n.split(' ');
  if (PERSON_IDENTIFIERS.has(n)) return { kind: 'person', match: n };
  if (PROFESSIONAL_IDENTIFIERS.has(n)) return { kind: 'professional', match: n };
  if (RECORD_IDENTIFIERS.has(n)) return { kind: 'record', match: n };
  if (tokens.includes('nir')) return { kind: 'person', match: 'nir' };
  if (tokens.some((t) => t.startsWith('pseudo'))) return { kind: 'person', match: 'pseudo*' };
  if (tokens.includes('rpps') || tokens.includes('adeli')) return { kind: 'professional', match: tokens.includes('rpps') ? 'rpps' : 'adeli' };
  if (tokens[0] === 'pfs' && tokens.some((t) => t === 'num' || t === 'numc')) return { kind: 'professional', match: 'pfs_*_num' };
  const idToken = tokens.some((t) => t === 'id' || t === 'idt' || t === 'ident' || t === 'identifiant');
  const personToken = tokens.some((t) => ['patient', 'beneficiaire', 'benef', 'ben', 'personne', 'person', 'individu', 'assure', 'sujet', 'subject'].includes(t));
  if (idToken && personToken) return { kind: 'person', match: 'id + patient' };
  return null;
}

const VALUE_PATTERNS: { kind: string; test: (text: string) => boolean }[] = [
  { kind: 'pseudonymes (hex)', test: (t) => /^[0-9a-f]{16,}$/i.test(t) },
  { kind: 'pseudonymes (base64)', test: (t) => /^[A-Za-z0-9+/_-]{20,}={0,2}$/.test(t) && /[0-9]/.test(t) && /[A-Za-z]/.test(t) },
  { kind: 'NIR', test: (t) => /^[1-478]\d{2}(0[1-9]|1[0-2]|[2-9]\d)(\d{2}|2[ab])\d{6}(\d{2})?$/i.test(t.replace(/\s/g, '')) },
  { kind: 'RPPS', test: (t) => /^10\d{9}$/.test(t) },
];

const DAY_DATE = /^(\d{4}-\d{2}-\d{2}([ T].*)?|\d{2}\/\d{2}\/\d{4})$/;

/** Values scanned per column: enough to see a pattern, bounded for 100,000-row tables. */
const SAMPLE = 5000;

export function rowLevelRule(table: SdcTable, settings: SdcSettings): RuleResult {
  const findings: Finding[] = [];
  const potential = new Map(settings.potentialIdentifiers.map((p) => [normalise(p), p]));
  table.columns.forEach((column, i) => {
    const at = { row: null, column: column.name };
    // "nb_nir" counts NIRs: a number of people, not an identifier.
    const counted = (column.role === 'count' || column.role === 'units') && /^(n|nb|nbr|nombre|count|cnt)$/.test(normalise(column.name).split(' ')[0]!);
    const named = counted ? null : identifierKind(column.name);
    if (named) findings.push(finding(table, 'SDC-07', 'fail', at, 'sdc.identifier_column', {}, { kind: named.kind, match: named.match }));
    const match = potential.get(normalise(column.name));
    if (match) findings.push(finding(table, 'SDC-07', 'fail', at, 'sdc.potential_identifier', {}, { match }));
    if (column.role === 'count' || column.role === 'magnitude' || column.role === 'statistic' || column.role === 'model') return;
    const texts = sampleTexts(table.rows, i);
    if (texts.length === 0) return;
    for (const pattern of VALUE_PATTERNS) {
      const hits = texts.filter(pattern.test);
      const distinct = new Set(hits).size / Math.max(hits.length, 1);
      if (hits.length / texts.length >= 0.5 && distinct >= 0.8) {
        findings.push(
          finding(table, 'SDC-07', 'fail', at, 'sdc.identifier_values', { share: Math.round((100 * hits.length) / texts.length), distinct: Math.round(100 * distinct) }, { kind: pattern.kind, example: mask(hits[0]!) }),
        );
        break;
      }
    }
    if (!match) {
      const dates = texts.filter((t) => DAY_DATE.test(t));
      if (dates.length / texts.length >= 0.5) findings.push(finding(table, 'SDC-07', 'review', at, 'sdc.full_dates', {}, { example: dates[0]! }));
    }
  });
  findings.push(...onePerPerson(table, settings));
  return { findings };
}

function sampleTexts(rows: Cell[][], i: number): string[] {
  const out: string[] = [];
  for (const row of rows) {
    const cell = row[i];
    if (cell === null || cell === undefined) continue;
    const text = String(cell).trim();
    if (text !== '') out.push(text);
    if (out.length >= SAMPLE) break;
  }
  return out;
}

/** Findings quote only the start of a value that may be an identifier. */
function mask(text: string): string {
  return text.length <= 6 ? '…' : `${text.slice(0, 4)}…`;
}

function onePerPerson(table: SdcTable, settings: SdcSettings): Finding[] {
  const counts = table.columns.map((c, i) => ({ c, i })).filter(({ c }) => c.role === 'count');
  const inner = table.rows.map((_, row) => row).filter((row) => !isMarginRow(table, row));
  const out: Finding[] = [];
  for (const { c, i } of counts) {
    const values = inner.map((row) => stateOf(table.rows[row]![i] ?? null)).filter((s) => s.kind === 'number');
    if (values.length >= 2 && values.every((s) => s.kind === 'number' && s.value === 1)) {
      out.push(finding(table, 'SDC-07', 'fail', { row: null, column: c.name }, 'sdc.one_row_per_person', { rows: values.length }));
    }
  }
  const aggregated = table.columns.some((c) => c.role !== 'dimension' && c.role !== 'other');
  const many = Math.max(20, 2 * settings.threshold);
  if (!aggregated && table.rows.length >= many) {
    const distinct = new Set(table.rows.map((r) => JSON.stringify(r))).size / table.rows.length;
    if (distinct >= 0.9) out.push(finding(table, 'SDC-07', 'fail', { row: null, column: null }, 'sdc.row_level', { rows: table.rows.length, distinct: Math.round(100 * distinct) }));
  }
  return out;
}
