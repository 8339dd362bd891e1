/** The caller's query history in this workspace, newest first; an entry loads into the editor. */
import { useQuery } from '@tanstack/react-query';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { sqlPreview } from './format.ts';
import { QueryStatusBadge } from './StatusBadge.tsx';
import { workspaceApi, type QueryView } from './types.ts';

export function HistoryList({ projectId, onLoad }: { projectId: string; onLoad: (sql: string) => void }) {
  const { t, formatDateTime } = useI18n();
  const history = useQuery({ queryKey: ['workspace', projectId, 'history'], queryFn: () => api.get<QueryView[]>(workspaceApi(projectId).history) });
  return (
    <>
      <ErrorAlert error={history.error} />
      {history.data?.length === 0 && <p>{t('ws.history.none')}</p>}
      <ol className="hdh-history" id="query-history">
        {history.data?.map((q) => (
          <li key={q.id}>
            <button type="button" className="hdh-history-entry" onClick={() => onLoad(q.sql)} title={t('ws.history.load')}>
              <code>{sqlPreview(q.sql)}</code>
            </button>
            <span className="fr-text--xs">
              {formatDateTime(q.startedAt)} · <QueryStatusBadge status={q.status} />
              {q.source === 'job' && <span className="fr-badge fr-badge--sm fr-ml-1w">{t('ws.history.fromJob')}</span>}
              {q.durationMs !== undefined && q.durationMs !== null && ` · ${t('ws.duration', { ms: q.durationMs })}`}
              {q.rowCount !== undefined && q.rowCount !== null && ` · ${t('ws.rows', { n: q.rowCount })}`}
            </span>
          </li>
        ))}
      </ol>
    </>
  );
}
