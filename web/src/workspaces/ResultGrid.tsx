/**
 * A query's result, for reading only: pages of rows within the display cap, the row count, the
 * duration and a notice when the result holds more rows than may be shown. No download and no
 * "copy all": results leave the hub only through the output airlock.
 */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { displayValue, displayableRows } from './format.ts';
import { workspaceApi, type QueryView, type RowsPage } from './types.ts';

export const PAGE_SIZE = 50;

export function ResultGrid({ projectId, view, displayRows }: { projectId: string; view: QueryView; displayRows: number }) {
  const { t } = useI18n();
  const [page, setPage] = useState(0);
  const columns = view.columns ?? [];
  const shown = displayableRows(view, displayRows);
  const pages = Math.max(1, Math.ceil(shown / PAGE_SIZE));
  const offset = page * PAGE_SIZE;
  // The submission's answer carries the first rows: pages inside them need no call.
  const local = view.rows && view.rows.length >= Math.min(offset + PAGE_SIZE, shown) ? view.rows.slice(offset, offset + PAGE_SIZE) : null;
  const rows = useQuery({
    queryKey: ['workspace', projectId, 'rows', view.id, page],
    queryFn: () => api.get<RowsPage>(workspaceApi(projectId).rows(view.id, offset, PAGE_SIZE)),
    enabled: local === null && shown > 0,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
  const data = local ?? rows.data?.rows ?? [];

  return (
    <section className="hdh-result" aria-labelledby="result-title">
      <h3 id="result-title" className="fr-h6 fr-mb-1w">{t('ws.result.title')}</h3>
      <p className="fr-text--sm fr-mb-1w" id="result-summary">
        {t('ws.result.summary', { rows: view.rowCount ?? shown, ms: view.durationMs ?? 0 })}
      </p>
      {view.truncated && (
        <p className="fr-badge fr-badge--warning fr-mb-1w" id="result-truncated">
          {t('ws.result.truncated', { n: displayRows })}
        </p>
      )}
      <ErrorAlert error={rows.error} />
      {columns.length > 0 && (
        <div className="fr-table fr-table--bordered fr-table--no-caption hdh-result-table">
          <table>
            <caption>{t('ws.result.caption', { from: shown === 0 ? 0 : offset + 1, to: Math.min(offset + PAGE_SIZE, shown), total: shown })}</caption>
            <thead>
              <tr>
                <th scope="col" className="hdh-rownum">
                  <span className="fr-sr-only">{t('ws.result.rowNumber')}</span>#
                </th>
                {columns.map((c) => (
                  <th key={c.name} scope="col" title={c.type}>
                    {c.name}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.map((row, i) => (
                <tr key={offset + i}>
                  <td className="hdh-rownum">{offset + i + 1}</td>
                  {row.map((cell, j) => (
                    <td key={j} className={cell === null ? 'hdh-null' : undefined}>
                      {displayValue(cell)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 && (
        <nav className="hdh-pager" aria-label={t('ws.result.pages')}>
          <Button size="small" priority="secondary" iconId="fr-icon-arrow-left-s-line" disabled={page === 0} onClick={() => setPage(page - 1)}>
            {t('ws.result.previous')}
          </Button>
          <span aria-live="polite" id="result-page">{t('ws.result.page', { page: page + 1, pages })}</span>
          <Button size="small" priority="secondary" iconId="fr-icon-arrow-right-s-line" iconPosition="right" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
            {t('ws.result.next')}
          </Button>
        </nav>
      )}
    </section>
  );
}
