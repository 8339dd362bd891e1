/**
 * The readable report of a file's checks (Markdown, French or English): the overall verdict, a
 * line per rule, then each rule's findings — cell by row label and column, values, message — and
 * what to do about them. Text from the table (labels, column names) is escaped: the web renders
 * this Markdown.
 */
import { messageFor } from '../../platform/errors.js';
import { cellLabel } from './cells.js';
import './messages.js';
import type { FileReport, Finding, RuleId, SdcTable, Verdict } from './types.js';

type Lang = 'fr' | 'en';

const RULE_TITLES: Record<RuleId, Record<Lang, string>> = {
  'SDC-01': { fr: 'Seuil sur les effectifs et les statistiques', en: 'Threshold on counts and statistics' },
  'SDC-02': { fr: 'Cellules nulles', en: 'Zero cells' },
  'SDC-03': { fr: 'Cellules masquées recalculables (secret secondaire)', en: 'Suppressed cells recomputable (secondary suppression)' },
  'SDC-04': { fr: 'Dominance (n, k) sur les montants', en: 'Dominance (n, k) on magnitudes' },
  'SDC-05': { fr: 'Règle du p %', en: 'p% rule' },
  'SDC-06': { fr: 'Degrés de liberté résiduels des modèles', en: 'Residual degrees of freedom of models' },
  'SDC-07': { fr: 'Données individuelles et identifiants', en: 'Individual-level data and identifiers' },
  'SDC-08': { fr: 'Arrondi', en: 'Rounding' },
  'SDC-09': { fr: 'Différenciation avec les sorties antérieures', en: 'Differencing against earlier releases' },
};

const VERDICTS: Record<Verdict, Record<Lang, string>> = {
  pass: { fr: '✅ conforme', en: '✅ pass' },
  review: { fr: '⚠️ à examiner', en: '⚠️ review' },
  fail: { fr: '❌ non conforme', en: '❌ fail' },
};

/** What to do, per rule; `{threshold}`, `{base}`… filled from the settings. */
const ADVICE: Record<RuleId, Record<Lang, string>> = {
  'SDC-01': {
    fr: 'Appliquez la suppression proposée (les cellules sous le seuil de {threshold} et leurs compléments sont masquées), ou regroupez des modalités (tranches d’âge plus larges, régions plutôt que départements) pour que chaque cellule compte au moins {threshold} personnes.',
    en: 'Apply the proposed suppression (cells under the threshold of {threshold} and their complements are hidden), or merge categories (wider age bands, regions rather than départements) so that each cell counts at least {threshold} people.',
  },
  'SDC-02': {
    fr: 'Indiquez dans le contexte si ces zéros sont structurels (impossibles par construction, p. ex. cancer de la prostate chez les femmes) ; sinon regroupez les modalités ou masquez-les.',
    en: 'State in the context whether these zeros are structural (impossible by construction, e.g. prostate cancer in women); otherwise merge the categories or suppress them.',
  },
  'SDC-03': {
    fr: 'Appliquez la suppression proposée : elle masque d’autres cellules (secret secondaire) pour que chaque ligne et chaque colonne touchées comptent au moins deux cellules masquées et qu’aucune ne se recalcule à partir des totaux.',
    en: 'Apply the proposed suppression: it hides further cells (secondary suppression) so that every affected row and column has at least two hidden cells and none can be recomputed from the totals.',
  },
  'SDC-04': {
    fr: 'Un ou deux contributeurs dominent la cellule : appliquez la suppression proposée ou regroupez avec d’autres cellules pour diluer leur part.',
    en: 'One or two contributors dominate the cell: apply the proposed suppression or merge with other cells to dilute their share.',
  },
  'SDC-05': {
    fr: 'Le deuxième contributeur pourrait estimer le premier : appliquez la suppression proposée ou regroupez des cellules.',
    en: 'The second contributor could estimate the first: apply the proposed suppression or merge cells.',
  },
  'SDC-06': {
    fr: 'Le modèle a trop peu de degrés de liberté résiduels (au moins {minResidualDf}) : réduisez le nombre de paramètres ou estimez-le sur une population plus large ; indiquez observations et paramètres.',
    en: 'The model has too few residual degrees of freedom (at least {minResidualDf}): reduce the number of parameters or fit it on a larger population; give observations and parameters.',
  },
  'SDC-07': {
    fr: 'Retirez les colonnes d’identifiants et d’identifiants potentiels, et n’exportez que des agrégats (effectifs par groupe d’au moins {threshold} personnes) : aucune donnée individuelle ne sort du sas.',
    en: 'Remove identifier and potential-identifier columns, and export aggregates only (counts per group of at least {threshold} people): no individual-level data leaves the airlock.',
  },
  'SDC-08': {
    fr: 'Arrondissez les effectifs et les totaux à {base} (correction proposée « arrondir »), à partir des mêmes données.',
    en: 'Round counts and totals to {base} (proposed fix “round”), from the same data.',
  },
  'SDC-09': {
    fr: 'Ce tableau et une sortie antérieure diffèrent d’un petit groupe que la soustraction révèle : alignez la population sur celle de la sortie antérieure, regroupez les modalités, ou justifiez la différence pour les relecteurs.',
    en: 'This table and an earlier release differ by a small group that subtraction reveals: align the population with the earlier release, merge categories, or justify the difference to the reviewers.',
  },
};

const TEXT: Record<string, Record<Lang, string>> = {
  title: { fr: 'Contrôle du secret statistique', en: 'Statistical disclosure control' },
  verdict: { fr: 'Verdict', en: 'Verdict' },
  summary: { fr: '{fail} constat(s) bloquant(s), {review} à examiner.', en: '{fail} blocking finding(s), {review} to review.' },
  rule: { fr: 'Règle', en: 'Rule' },
  findings: { fr: 'Constats', en: 'Findings' },
  todo: { fr: 'Que faire', en: 'What to do' },
  values: { fr: 'valeurs', en: 'values' },
  more: { fr: '… et {n} autre(s) constat(s).', en: '… and {n} more finding(s).' },
  settings: { fr: 'Paramètres appliqués', en: 'Settings applied' },
  settingsLine: {
    fr: 'seuil {threshold} ; zéros : {zeroCells} ; dominance {dominance} ; p = {p} % ; ddl résiduels ≥ {df} ; arrondi : {base} ; différenciation : {differencing}.',
    en: 'threshold {threshold}; zeros: {zeroCells}; dominance {dominance}; p = {p}%; residual df ≥ {df}; rounding: {base}; differencing: {differencing}.',
  },
  none: { fr: 'aucun', en: 'none' },
  on: { fr: 'oui', en: 'on' },
  off: { fr: 'non', en: 'off' },
  table: { fr: 'tableau', en: 'table' },
};

/** French typography puts a space before a colon. */
const COLON: Record<Lang, string> = { fr: ' :', en: ':' };

/** Findings listed per rule before "… and n more". */
const MAX_LISTED = 50;

export function readableReport(report: FileReport, table: SdcTable, lang: Lang): string {
  const t = (key: string, params: Record<string, string | number> = {}) => fill(TEXT[key]![lang], params);
  const s = report.settings;
  const settingsParams = {
    threshold: s.threshold,
    minResidualDf: s.minResidualDf,
    base: s.roundingBase ?? t('none'),
  };
  const out: string[] = [];
  out.push(`# ${t('title')}`, '');
  const colon = COLON[lang];
  out.push(`**${t('verdict')}${colon} ${VERDICTS[report.verdict][lang]}**`, '');
  const count = (v: Verdict) => report.findings.filter((f) => f.verdict === v).length;
  out.push(t('summary', { fail: count('fail'), review: count('review') }), '');
  out.push(`| ${t('rule')} | ${t('verdict')} | ${t('findings')} |`, '|---|---|---|');
  for (const r of report.rules) {
    const n = report.findings.filter((f) => f.rule === r.rule).length;
    const verdict = r.skipped ? `${VERDICTS[r.verdict][lang]} — ${escape(messageFor(r.skipped, lang))}` : VERDICTS[r.verdict][lang];
    out.push(`| ${r.rule} ${RULE_TITLES[r.rule][lang]} | ${verdict} | ${n} |`);
  }
  for (const r of report.rules) {
    const findings = report.findings.filter((f) => f.rule === r.rule);
    if (findings.length === 0) continue;
    out.push('', `## ${r.rule} — ${RULE_TITLES[r.rule][lang]}${colon} ${VERDICTS[r.verdict][lang]}`, '');
    for (const f of findings.slice(0, MAX_LISTED)) out.push(`- ${findingLine(f, table, lang)}`);
    if (findings.length > MAX_LISTED) out.push(`- ${t('more', { n: findings.length - MAX_LISTED })}`);
    out.push('', `**${t('todo')}**${colon} ${fill(ADVICE[r.rule][lang], settingsParams)}`);
  }
  const dominance = s.dominance.map((d) => `(${d.n}, ${d.k} %)`).join(' ') || t('none');
  out.push(
    '',
    `*${t('settings')}${colon} ${t('settingsLine', { threshold: s.threshold, zeroCells: s.zeroCells, dominance, p: s.pPercent, df: s.minResidualDf, base: s.roundingBase ?? t('none'), differencing: s.differencing ? t('on') : t('off') })}*`,
    '',
  );
  return out.join('\n');
}

function findingLine(f: Finding, table: SdcTable, lang: Lang): string {
  const where = f.row !== null && f.column !== null ? cellLabel(table, f.row, f.column) : f.column !== null ? f.column : TEXT.table![lang];
  const values = Object.entries(f.values)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k} = ${v}`)
    .join(', ');
  // Messages open with the cell's label, already in bold before them.
  let message = messageFor(f.code, lang, f.params);
  const cell = f.params.cell === undefined ? null : String(f.params.cell);
  if (cell !== null && message.startsWith(cell)) message = message.slice(cell.length).replace(/^\s?:\s*/, '');
  message = message.charAt(0).toUpperCase() + message.slice(1);
  return `**${escape(where)}** — ${escape(message)}${values ? ` (${TEXT.values![lang]}${COLON[lang]} ${escape(values)})` : ''}`;
}

function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, key: string) => (key in params ? String(params[key]) : m));
}

/** Markdown metacharacters and HTML in table-provided text are shown as text. */
function escape(text: string): string {
  return text.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`).replace(/\n/g, ' ');
}
