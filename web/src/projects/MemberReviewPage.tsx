/**
 * The lead's annual review of the team (AUTH-08): every member with their end date, charter and
 * last confirmation; the lead keeps or removes each one and says why. Recorded and audited.
 */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { BackLink } from '../shell/BackLink.tsx';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { CharterBadge, useRoleLabel } from './TeamSection.tsx';
import { projectPaths, type MemberReview } from './types.ts';

type Decision = 'keep' | 'remove';

export function MemberReviewPage() {
  const { id = '' } = useParams();
  const { t, formatDate, formatDateTime } = useI18n();
  const roleLabel = useRoleLabel();
  const queryClient = useQueryClient();
  const review = useQuery({ queryKey: ['project', id, 'member-review'], queryFn: () => api.get<MemberReview>(`/api/projects/${id}/member-review`) });
  const [decisions, setDecisions] = useState<Record<string, Decision>>({});
  const [note, setNote] = useState('');
  const [done, setDone] = useState(false);
  const record = useMutation({
    mutationFn: (body: { decisions: { userId: string; decision: Decision }[]; note: string }) => api.post(`/api/projects/${id}/member-review`, body),
    onSuccess: async () => {
      setDecisions({});
      setNote('');
      setDone(true);
      await queryClient.invalidateQueries({ queryKey: ['project', id] });
    },
  });
  if (review.error) return <ErrorAlert error={review.error} />;
  if (!review.data) return <p>{t('app.loading')}</p>;
  const r = review.data;
  const decisionOf = (userId: string): Decision => decisions[userId] ?? 'keep';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    record.mutate({ decisions: r.members.map((m) => ({ userId: m.userId, decision: decisionOf(m.userId) })), note });
  };
  return (
    <>
      <BackLink to={projectPaths.project(id)}>{r.reference}</BackLink>
      <h1>{t('teamReview.title', { reference: r.reference })}</h1>
      <p className="fr-text--lead">{t('teamReview.lead')}</p>
      <p id="review-status">
        {r.lastReviewedAt ? t('teamReview.last', { date: formatDateTime(r.lastReviewedAt) }) : t('teamReview.never')}{' '}
        {r.reviewDue && <span className="fr-badge fr-badge--warning">{t('teamReview.due')}</span>}
      </p>
      {done && <p className="fr-message fr-message--valid fr-mb-2w" id="review-saved">{t('teamReview.saved')}</p>}
      {r.members.length === 0 ? <p>{t('team.none')}</p> : (
        <form className="hdh-member-review" onSubmit={submit}>
          <div className="fr-table fr-table--no-caption">
            <table>
              <caption>{t('team.title')}</caption>
              <thead>
                <tr>
                  <th>{t('team.name')}</th>
                  <th>{t('team.roleLabel')}</th>
                  <th>{t('team.endDate')}</th>
                  <th>{t('team.charter')}</th>
                  <th>{t('teamReview.lastConfirmed')}</th>
                  <th>{t('teamReview.decision')}</th>
                </tr>
              </thead>
              <tbody>
                {r.members.map((m) => (
                  <tr key={m.userId} data-member={m.email}>
                    <td>{m.displayName}<br /><span className="fr-text--xs">{m.email}</span></td>
                    <td>{roleLabel(m.roleInProject)}</td>
                    <td>{formatDate(m.endDate)}{m.endPassed && <> <span className="fr-badge fr-badge--sm fr-badge--error">{t('teamReview.endPassed')}</span></>}</td>
                    <td><CharterBadge member={m} /></td>
                    <td>{m.lastConfirmedAt ? formatDate(m.lastConfirmedAt) : '—'}{m.confirmationDue && <> <span className="fr-badge fr-badge--sm fr-badge--warning">{t('teamReview.confirmationDue')}</span></>}</td>
                    <td>
                      <fieldset className="fr-fieldset fr-mb-0" aria-label={t('teamReview.decisionFor', { name: m.displayName })}>
                        {(['keep', 'remove'] as const).map((d) => (
                          <div key={d} className="fr-radio-group fr-radio-group--sm">
                            <input type="radio" id={`review-${m.userId}-${d}`} name={`decision-${m.userId}`} value={d} checked={decisionOf(m.userId) === d} onChange={() => setDecisions({ ...decisions, [m.userId]: d })} />
                            <label className="fr-label" htmlFor={`review-${m.userId}-${d}`}>{t(`teamReview.${d}`)}</label>
                          </div>
                        ))}
                      </fieldset>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="fr-input-group">
            <label className="fr-label" htmlFor="review-note">{t('teamReview.note')}<span className="fr-hint-text">{t('teamReview.noteHint')}</span></label>
            <textarea className="fr-input" id="review-note" name="note" rows={2} required maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
          </div>
          <ErrorAlert error={record.error} />
          <Button type="submit" iconId="fr-icon-check-line" disabled={record.isPending}>{t('teamReview.submit')}</Button>
        </form>
      )}
    </>
  );
}
