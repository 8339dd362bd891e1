/**
 * The project's team — équipe: each member with their role, end date and whether they accepted
 * the user charter (AUTH-05, required before the convention); the lead adds members by e-mail
 * with an end date no later than the project's (AUTH-03) and removes them.
 */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { useProjectAccess } from './access.ts';
import { memberRoles, projectPaths, type Member, type MemberRole, type Project } from './types.ts';

/** A suggested role in the user's language; any other text the server holds is shown as it is. */
export function useRoleLabel() {
  const { t } = useI18n();
  return (role: string) => ((memberRoles as readonly string[]).includes(role) ? t(`team.role.${role as MemberRole}`) : role);
}

export function CharterBadge({ member }: { member: Member }) {
  const { t } = useI18n();
  return member.charterAccepted
    ? <span className="fr-badge fr-badge--sm fr-badge--success">{t('team.charterAccepted')}</span>
    : <span className="fr-badge fr-badge--sm fr-badge--warning">{t('team.charterMissing')}</span>;
}

export function TeamSection({ project }: { project: Project }) {
  const { t, formatDate } = useI18n();
  const { canEdit, canChangeTeam } = useProjectAccess(project);
  const roleLabel = useRoleLabel();
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (userId: string) => api.delete(`/api/projects/${project.id}/members/${userId}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['project', project.id] }),
  });
  return (
    <section className="hdh-team fr-mb-4w">
      <h2>{t('team.title')}</h2>
      {project.members.length === 0 ? <p>{t('team.none')}</p> : (
        <div className="fr-table fr-table--no-caption">
          <table>
            <caption>{t('team.title')}</caption>
            <thead>
              <tr>
                <th>{t('team.name')}</th>
                <th>{t('team.email')}</th>
                <th>{t('team.roleLabel')}</th>
                <th>{t('team.endDate')}</th>
                <th>{t('team.charter')}</th>
                {canChangeTeam && <th>{t('team.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {project.members.map((m) => (
                <tr key={m.userId} data-member={m.email}>
                  <td>{m.displayName}</td>
                  <td>{m.email}</td>
                  <td>{roleLabel(m.roleInProject)}</td>
                  <td>{formatDate(m.endDate)}</td>
                  <td><CharterBadge member={m} /></td>
                  {canChangeTeam && (
                    <td>
                      <Button size="small" priority="tertiary" iconId="fr-icon-delete-line" disabled={remove.isPending} onClick={() => remove.mutate(m.userId)} title={t('team.removeOne', { name: m.displayName })}>
                        {t('team.remove')}
                      </Button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ErrorAlert error={remove.error} />
      {canEdit && project.members.length > 0 && (
        <p><Link className="fr-link fr-icon-team-line fr-link--icon-left" to={projectPaths.review(project.id)}>{t('teamReview.link')}</Link></p>
      )}
      {canChangeTeam && <AddMemberForm project={project} />}
    </section>
  );
}

function AddMemberForm({ project }: { project: Project }) {
  const { t, formatDate } = useI18n();
  const queryClient = useQueryClient();
  const empty = { email: '', roleInProject: 'member' as string, endDate: '' };
  const [v, setV] = useState(empty);
  const projectEnd = project.authorisedEndDate ?? project.requestedEndDate;
  const add = useMutation({
    mutationFn: () => api.post<Member>(`/api/projects/${project.id}/members`, v),
    onSuccess: async () => {
      setV(empty);
      await queryClient.invalidateQueries({ queryKey: ['project', project.id] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  return (
    <form className="hdh-member-form" onSubmit={submit}>
      <fieldset className="fr-fieldset">
        <legend className="fr-fieldset__legend">{t('team.add')}</legend>
        <div className="fr-fieldset__element">
          <div className="fr-input-group">
            <label className="fr-label" htmlFor="member-email">{t('team.email')}<span className="fr-hint-text">{t('team.emailHint')}</span></label>
            <input className="fr-input" id="member-email" name="email" type="email" autoComplete="off" required value={v.email} onChange={(e) => setV({ ...v, email: e.target.value })} />
          </div>
        </div>
        <div className="fr-fieldset__element">
          <div className="fr-select-group">
            <label className="fr-label" htmlFor="member-role">{t('team.roleLabel')}</label>
            <select className="fr-select" id="member-role" name="roleInProject" value={v.roleInProject} onChange={(e) => setV({ ...v, roleInProject: e.target.value })}>
              {memberRoles.map((r) => <option key={r} value={r}>{t(`team.role.${r}`)}</option>)}
            </select>
          </div>
        </div>
        <div className="fr-fieldset__element">
          <div className="fr-input-group">
            <label className="fr-label" htmlFor="member-endDate">
              {t('team.endDate')}
              <span className="fr-hint-text">{projectEnd ? t('team.endDateHint', { date: formatDate(projectEnd) }) : t('team.endDateNoProjectEnd')}</span>
            </label>
            <input className="fr-input" id="member-endDate" name="endDate" type="date" required max={projectEnd ?? undefined} value={v.endDate} onChange={(e) => setV({ ...v, endDate: e.target.value })} />
          </div>
        </div>
        <div className="fr-fieldset__element">
          <Button type="submit" priority="secondary" iconId="fr-icon-user-add-line" disabled={add.isPending}>{t('team.addButton')}</Button>
        </div>
      </fieldset>
      <ErrorAlert error={add.error} />
    </form>
  );
}
