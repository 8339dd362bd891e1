/** Where the file is (LC-06): each step taken, by whom, with its reference and due day. */
import { useQuery } from '@tanstack/react-query';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import type { Action, Timeline } from './types.ts';

export function TimelineSection({ projectId }: { projectId: string }) {
  const { t, formatDate, formatDateTime } = useI18n();
  const timeline = useQuery({ queryKey: ['project', projectId, 'timeline'], queryFn: () => api.get<Timeline>(`/api/projects/${projectId}/timeline`) });
  return (
    <section className="fr-mb-4w">
      <h2>{t('timeline.title')}</h2>
      <ErrorAlert error={timeline.error} />
      {timeline.data && (
        <>
          {timeline.data.deadlineRule && (
            <p>{t('timeline.rule', { requirement: timeline.data.deadlineRule.requirement, amount: timeline.data.deadlineRule.amount, unit: timeline.data.deadlineRule.unit })}</p>
          )}
          <ol className="hdh-timeline">
            {timeline.data.transitions.map((tr, i) => (
              <li key={i}>
                {formatDateTime(tr.at)} — {t(`project.status.${tr.to}`)}{tr.from !== null && <> · {t(`actions.${tr.action as Action}`)}</>} ({tr.automatic ? t('timeline.automatic') : tr.actorLabel}){tr.reference && ` — ${tr.reference}`}{tr.dueDate && ` — ${t('project.dueOn', { date: formatDate(tr.dueDate) })}`}{tr.note && ` — ${tr.note}`}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
