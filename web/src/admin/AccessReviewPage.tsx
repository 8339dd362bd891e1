/** Administrator: the annual review of every account, keep or revoke with a note (AUTH-08). */
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, type User } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';

type ReviewedUser = User & { reviewDue: boolean; expired: boolean };
const reviewKey = ['admin', 'access-review'] as const;

export function AccessReviewPage() {
  const { t, formatDate, formatDateTime } = useI18n();
  const review = useQuery({ queryKey: reviewKey, queryFn: () => api.get<ReviewedUser[]>('/api/admin/access-review') });
  return (
    <>
      <h1>{t('review.title')}</h1>
      <p>{t('review.intro')}</p>
      <ErrorAlert error={review.error} />
      {review.data && (
        <Table
          className="hdh-review-table"
          caption={t('review.title')}
          fixed={false}
          headers={[t('admin.col.user'), t('admin.roles'), t('admin.endOfRights'), t('review.lastReviewed'), t('admin.col.actions')]}
          data={review.data.map((u) => [
            <span key="u">
              {u.displayName}
              <br />
              <span className="fr-text--sm">{u.email}</span>
              <br />
              {u.reviewDue && (
                <Badge small severity="warning">
                  {t('review.due')}
                </Badge>
              )}{' '}
              {u.expired && (
                <Badge small severity="error">
                  {t('review.expired')}
                </Badge>
              )}
            </span>,
            u.roles.map((r) => t(`role.${r}`)).join(', '),
            formatDate(u.endOfRights),
            u.lastReviewedAt ? formatDateTime(u.lastReviewedAt) : t('review.never'),
            <ReviewForm key="f" user={u} />,
          ])}
        />
      )}
    </>
  );
}

function ReviewForm({ user }: { user: ReviewedUser }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const record = useMutation({
    mutationFn: (decision: 'keep' | 'revoke') => api.post<void>(`/api/admin/users/${user.id}/review`, { decision, note }),
    onSuccess: async () => {
      setNote('');
      await queryClient.invalidateQueries({ queryKey: reviewKey });
    },
  });
  return (
    <div className="hdh-review-form">
      {record.isSuccess && <Alert severity="success" small description={t('review.done')} />}
      <ErrorAlert error={record.error} />
      <Input label={t('review.note')} nativeInputProps={{ name: `note-${user.id}`, value: note, onChange: (e) => setNote(e.target.value) }} />
      <ul className="fr-btns-group fr-btns-group--inline fr-btns-group--sm">
        <li>
          <Button size="small" disabled={record.isPending || note.trim().length < 3} onClick={() => record.mutate('keep')}>
            {t('review.keep')}
          </Button>
        </li>
        <li>
          <Button size="small" priority="secondary" disabled={record.isPending || note.trim().length < 3} onClick={() => record.mutate('revoke')}>
            {t('review.revoke')}
          </Button>
        </li>
      </ul>
    </div>
  );
}
