/** The output reviewers' queue (file d’attente de relecture): oldest first, overrides first, my vote. */
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { DecisionBadge, OutputStatusBadge, VerdictBadge } from './StatusBadge.tsx';
import { airlockApi, airlockKeys, airlockPaths, type QueueItem } from './types.ts';
import './airlock.css';

export function ReviewQueuePage() {
  const { t, formatDateTime } = useI18n();
  const queue = useQuery({ queryKey: airlockKeys.queue, queryFn: () => api.get<QueueItem[]>(airlockApi.queue), refetchInterval: 60_000 });
  return (
    <>
      <h1>{t('airlock.queue.title')}</h1>
      <p className="fr-text--lead">{t('airlock.queue.lead')}</p>
      <p>
        <Link to={airlockPaths.settings}>{t('airlock.queue.settings')}</Link>
      </p>
      <ErrorAlert error={queue.error} />
      {queue.isPending && <p>{t('app.loading')}</p>}
      {queue.data && queue.data.length === 0 && <p id="queue-empty">{t('airlock.queue.empty')}</p>}
      {queue.data && queue.data.length > 0 && (
        <div className="fr-table fr-table--bordered">
          <table id="review-queue">
            <caption>{t('airlock.queue.caption', { n: queue.data.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('airlock.queue.priority')}</th>
                <th scope="col">{t('airlock.queue.request')}</th>
                <th scope="col">{t('airlock.queue.project')}</th>
                <th scope="col">{t('airlock.queue.age')}</th>
                <th scope="col">{t('airlock.requests.status')}</th>
                <th scope="col">{t('airlock.requests.checks')}</th>
                <th scope="col">{t('airlock.queue.votes')}</th>
                <th scope="col">{t('airlock.queue.myVote')}</th>
              </tr>
            </thead>
            <tbody>
              {queue.data.map((q) => (
                <tr key={`${q.projectId}/${q.requestId}`} data-request={q.requestId}>
                  <td>
                    {q.priority === 'high' ? (
                      <Badge as="span" small severity="warning">
                        {t('airlock.queue.high')}
                      </Badge>
                    ) : (
                      t('airlock.queue.normal')
                    )}
                  </td>
                  <td>
                    <Link to={airlockPaths.review(q.projectId, q.requestId)}>{q.title}</Link>
                  </td>
                  <td>
                    {q.projectReference} — {q.projectTitle}
                  </td>
                  <td>
                    {t('airlock.queue.days', { n: q.ageDays })}
                    {q.submittedAt && <span className="fr-hint-text">{formatDateTime(q.submittedAt)}</span>}
                  </td>
                  <td>
                    <OutputStatusBadge status={q.status} />
                  </td>
                  <td>
                    <VerdictBadge verdict={q.verdict} />
                  </td>
                  <td>{t('airlock.queue.voteCount', { n: q.votes })}</td>
                  <td>{q.myVote ? <DecisionBadge decision={q.myVote} /> : t('airlock.queue.notVoted')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
