/** The signed-in user's notifications, newest first; opening one or ticking it marks it read. */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { notificationsKey, useNotificationText } from './notifications.ts';
import { projectPaths, type Notification } from './types.ts';

export function NotificationsPage() {
  const { t, formatDateTime } = useI18n();
  const text = useNotificationText();
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: [...notificationsKey, 'all'], queryFn: () => api.get<Notification[]>('/api/notifications') });
  const markRead = useMutation({
    mutationFn: async (ids: string[]) => {
      for (const id of ids) await api.post(`/api/notifications/${id}/read`);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: notificationsKey }),
  });
  const unread = list.data?.filter((n) => !n.readAt) ?? [];
  return (
    <>
      <h1>{t('notifications.title')}</h1>
      <ErrorAlert error={list.error ?? markRead.error} />
      {list.isPending && <p>{t('app.loading')}</p>}
      {list.data && list.data.length === 0 && <p>{t('notifications.none')}</p>}
      {unread.length > 0 && (
        <Button priority="secondary" iconId="fr-icon-check-line" className="fr-mb-3w" disabled={markRead.isPending} onClick={() => markRead.mutate(unread.map((n) => n.id))}>
          {t('notifications.markAllRead')}
        </Button>
      )}
      <ul className="hdh-notifications">
        {list.data?.map((n) => (
          <li key={n.id} className={n.readAt ? 'hdh-notification' : 'hdh-notification hdh-notification--unread'} data-kind={n.kind} data-read={n.readAt ? 'true' : 'false'}>
            <p className="fr-mb-1v">
              {!n.readAt && <span className="fr-badge fr-badge--sm fr-badge--new fr-mr-1w">{t('notifications.new')}</span>}
              {n.projectId ? (
                <Link to={projectPaths.project(n.projectId)} onClick={() => !n.readAt && markRead.mutate([n.id])}>{text(n)}</Link>
              ) : text(n)}
            </p>
            <p className="fr-text--xs fr-mb-1v">
              <time dateTime={n.createdAt}>{formatDateTime(n.createdAt)}</time>
              {!n.readAt && (
                <> — <button type="button" className="fr-link fr-text--xs" disabled={markRead.isPending} onClick={() => markRead.mutate([n.id])}>{t('notifications.markRead')}</button></>
              )}
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}
