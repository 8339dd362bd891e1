/** In-app notifications (status changes, messages on a file): the unread count for the header, their wording. */
import { useQuery } from '@tanstack/react-query';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { useSession } from '../shell/session.ts';
import { statuses, type Notification, type Status } from './types.ts';

export const notificationsKey = ['notifications'] as const;

/** Unread notifications of the signed-in user; polled every minute, and only once data access is open (MFA, charter). */
export function useUnreadNotifications() {
  const { data: session } = useSession();
  const enabled = !!session?.authenticated && session.level === 'full' && session.charterAccepted;
  return useQuery({
    queryKey: [...notificationsKey, 'unread'],
    queryFn: () => api.get<Notification[]>('/api/notifications?unread=true'),
    enabled,
    refetchInterval: 60_000,
  });
}

/** One line saying what happened, in the user's language. */
export function useNotificationText() {
  const { t } = useI18n();
  return (n: Notification): string => {
    const reference = typeof n.details.reference === 'string' ? n.details.reference : '';
    const status = (value: unknown) => (statuses.includes(value as Status) ? t(`project.status.${value as Status}`) : String(value ?? ''));
    if (n.kind === 'project.message') return t(n.details.side === 'hub' ? 'notifications.messageFromHub' : 'notifications.messageFromTeam', { reference });
    if (n.kind === 'project.status_changed') return t('notifications.statusChanged', { reference, to: status(n.details.to) });
    return t('notifications.other', { reference, kind: n.kind });
  };
}
