/** The loads I started (all loads for administrators and security officers), newest first. */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { formatCount } from './format.ts';
import { StatusBadge } from './StatusBadge.tsx';
import { ingestPaths, type Load } from './types.ts';

export function HistoryPage() {
  const { t, lang, formatDateTime } = useI18n();
  const loads = useQuery({
    queryKey: ['ingest', 'loads'],
    queryFn: () => api.get<Load[]>('/api/ingest/loads'),
    // A load still validating changes on its own: look again until none is.
    refetchInterval: (q) => (q.state.data?.some((l) => l.status === 'validating') ? 2000 : false),
  });
  const n = (x: number | null) => (x === null ? '—' : formatCount(x, lang));
  return (
    <>
      <h1>{t('ingest.historyTitle')}</h1>
      <p>{t('ingest.historyLead')}</p>
      <Button iconId="fr-icon-upload-line" className="fr-mb-3w" linkProps={{ to: ingestPaths.upload }}>{t('ingest.uploadTitle')}</Button>
      <ErrorAlert error={loads.error} />
      {!loads.data && !loads.error && <p>{t('app.loading')}</p>}
      {loads.data && loads.data.length === 0 && <p>{t('ingest.noLoads')}</p>}
      {loads.data && loads.data.length > 0 && (
        <div className="fr-table">
          <table id="ingest-history">
            <caption className="fr-sr-only">{t('ingest.historyTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('ingest.startedAt')}</th>
                <th scope="col">{t('ingest.table')}</th>
                <th scope="col">{t('ingest.file')}</th>
                <th scope="col">{t('ingest.status')}</th>
                <th scope="col">{t('ingest.rowsRead')}</th>
                <th scope="col">{t('ingest.rowsValid')}</th>
                <th scope="col">{t('ingest.rowsRejected')}</th>
                <th scope="col">{t('ingest.release')}</th>
                <th scope="col">{t('ingest.startedBy')}</th>
              </tr>
            </thead>
            <tbody>
              {loads.data.map((l) => (
                <tr key={l.id} data-load={l.id}>
                  <td><Link to={ingestPaths.load(l.id)}>{formatDateTime(l.startedAt)}</Link></td>
                  <td><code>{l.table}</code></td>
                  <td>{l.fileName}</td>
                  <td><StatusBadge status={l.status} /></td>
                  <td>{n(l.rowsRead)}</td>
                  <td>{n(l.rowsValid)}</td>
                  <td>{n(l.rowsRejected)}</td>
                  <td>{l.release ? t('ingest.releaseVersion', { name: l.release.name, version: l.release.version }) : '—'}{l.publishedAt && <span className="fr-hint-text">{formatDateTime(l.publishedAt)}</span>}</td>
                  <td>{l.createdBy}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
