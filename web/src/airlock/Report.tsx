/**
 * The readable check report (Markdown written by the server in the caller's language: per rule,
 * the verdict, the cells, the values and what to do), with each rule's outcome as a table above.
 */
import MarkdownIt from 'markdown-it';
import { useMemo } from 'react';
import { useI18n, type MessageKey } from '../i18n.ts';
import { VerdictBadge } from './StatusBadge.tsx';
import type { FileReport } from './types.ts';

// html: false — any tag in the report (a column name, a cell value) is shown as text, never as markup.
const markdown = new MarkdownIt({ html: false, linkify: false, typographer: true });

export function ReadableReport({ readable, id }: { readable: string; id?: string }) {
  const html = useMemo(() => markdown.render(readable), [readable]);
  return <div className="hdh-sdc-report hdh-markdown" id={id} dangerouslySetInnerHTML={{ __html: html }} />;
}

export function RuleTable({ report, caption }: { report: FileReport; caption: string }) {
  const { t } = useI18n();
  return (
    <div className="fr-table fr-table--bordered fr-table--sm">
      <table>
        <caption className="fr-h6">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('airlock.findings.rule')}</th>
            <th scope="col">{t('airlock.findings.verdict')}</th>
            <th scope="col">{t('airlock.rules.note')}</th>
          </tr>
        </thead>
        <tbody>
          {report.rules.map((r) => (
            <tr key={r.rule} data-rule={r.rule}>
              <td>
                <strong>{r.rule}</strong> — {t(`airlock.rule.${r.rule}` as MessageKey)}
              </td>
              <td>{r.skipped ? t('airlock.rules.skipped') : <VerdictBadge verdict={r.verdict} />}</td>
              <td>{r.skipped ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
