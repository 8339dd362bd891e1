/** The readable report, French and English: verdict, per rule, cells by label, values, what to do. */
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { checkTable } from './check.js';
import { proposeFix } from './fix.js';
import { readableReport } from './report.js';
import { col, crossTable, settings, table } from './test-tables.js';

describe('readableReport', () => {
  const t = crossTable(['0-17', '18-64', '90+'], ['F', 'H'], [[40, 30], [200, 210], [4, 16]]);
  const report = checkTable(t, settings(), []);

  it('EXP-08: French — overall verdict, rule table, the failing cell by its labels, values and what to do', () => {
    const md = readableReport(report, t, 'fr');
    expect(md).toContain('# Contrôle du secret statistique');
    expect(md).toContain('**Verdict : ❌ non conforme**');
    expect(md).toContain('| SDC-01 Seuil sur les effectifs et les statistiques | ❌ non conforme | 1 |');
    expect(md).toContain('| SDC-04 Dominance (n, k) sur les montants | ✅ conforme — Aucune colonne de montant. | 0 |');
    expect(md).toContain('- **90+ × F / n** — Effectif 4 inférieur au seuil de 10. (valeurs : value = 4, threshold = 10)');
    expect(md).toContain('**Que faire** : Appliquez la suppression proposée');
    expect(md).toContain('seuil 10 ; zéros : review ; dominance (1, 85 %) (2, 90 %)');
  });

  it('EXP-08: English, and a fixed table reads as passing', () => {
    const md = readableReport(report, t, 'en');
    expect(md).toContain('**Verdict: ❌ fail**');
    expect(md).toContain('**What to do**: Apply the proposed suppression');
    const fixed = proposeFix(t, settings(), { suppress: true }).table;
    expect(readableReport(checkTable(fixed, settings(), []), fixed, 'en')).toContain('**Verdict: ✅ pass**');
  });

  it('EXP-08: labels from the table cannot inject Markdown or HTML', () => {
    const evil = table([col('g', 'dimension'), col('n', 'count')], [['<img src=x onerror=alert(1)>|*x*', 3], ['b', 40]]);
    const md = readableReport(checkTable(evil, settings(), []), evil, 'en');
    const html = new MarkdownIt().render(md);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;|*x*');
  });

  it('SDC-07: whole-column findings name the column; long lists are capped', () => {
    const many = table([col('BEN_NIR_PSA', 'dimension'), col('n', 'count')], Array.from({ length: 80 }, (_, i) => [`p${i}`, 1 + (i % 5)]));
    const md = readableReport(checkTable(many, settings(), []), many, 'fr');
    expect(md).toContain('- **BEN\\_NIR\\_PSA** — La colonne BEN\\_NIR\\_PSA ressemble à un identifiant');
    expect(md).toContain('… et 30 autre(s) constat(s).');
  });
});
