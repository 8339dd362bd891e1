/** A project: the file (fiche), the perimeter, the timeline with due dates (LC-06) and the caller's actions. */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../api.ts';
import { Facts } from '../catalog/common.tsx';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { ActionForms } from './ActionForms.tsx';
import type { CesreesKey, CnilKey } from './RegistryPage.tsx';
import { projectPaths, type Action, type PerimeterVersion, type Project, type Timeline } from './types.ts';
import { BackLink } from '../shell/BackLink.tsx';
import { workspacePaths } from '../workspaces/types.ts';

const editable = new Set(['draft', 'returned', 'cesrees_opinion']);

export function ProjectPage() {
  const { id = '' } = useParams();
  const { t, formatDate, formatDateTime } = useI18n();
  const project = useQuery({ queryKey: ['project', id], queryFn: () => api.get<Project>(`/api/projects/${id}`) });
  const timeline = useQuery({ queryKey: ['project', id, 'timeline'], queryFn: () => api.get<Timeline>(`/api/projects/${id}/timeline`) });
  const perimeter = useQuery({ queryKey: ['project', id, 'perimeter'], queryFn: () => api.get<PerimeterVersion[]>(`/api/projects/${id}/perimeter`) });
  if (project.error) return <ErrorAlert error={project.error} />;
  if (!project.data) return <p>{t('app.loading')}</p>;
  const p = project.data;
  const day = (d: string | null) => (d ? formatDate(d) : null);
  const current = perimeter.data?.at(-1);
  return (
    <>
      <BackLink to={projectPaths.mine}>{t('projects.mineTitle')}</BackLink>
      <h1>{p.title}</h1>
      <p>
        <span className="fr-badge fr-badge--info" id="project-status">{t(`project.status.${p.status}`)}</span>{' '}
        {p.dueDate && <span>{t('project.dueOn', { date: formatDate(p.dueDate) })}</span>}
        {p.overdue && <span className="fr-badge fr-badge--error fr-ml-1w">{t('project.overdue')}</span>}
      </p>
      {editable.has(p.status) && p.availableActions.includes('withdraw') && (
        <Button priority="secondary" iconId="fr-icon-edit-line" className="fr-mb-3w" linkProps={{ to: projectPaths.edit(p.id) }}>{t('project.edit')}</Button>
      )}
      {p.status === 'active' && (
        <Button iconId="fr-icon-terminal-box-line" className="fr-mb-3w fr-ml-1w" linkProps={{ to: workspacePaths.workspace(p.id), id: 'open-workspace' }}>{t('ws.open')}</Button>
      )}
      <ActionForms project={p} />
      <h2>{t('project.file')}</h2>
      <Facts
        items={[
          [t('project.reference'), p.reference],
          [t('project.legalRoute'), t(`project.route.${p.legalRoute}`)],
          [t('project.summary'), p.summary],
          [t('project.purpose'), p.purpose],
          [t('project.objectives'), p.objectives],
          [t('project.publicInterest'), p.publicInterest],
          [t('project.methodology'), p.methodology],
          [t('project.expectedResults'), p.expectedResults],
          [t('project.dataControllers'), p.dataControllers.map((c) => `${c.name} (${c.kind === 'rt' ? 'RT' : 'co-RT'})`).join(', ')],
          [t('project.medicalDomains'), p.medicalDomains.join(', ')],
          [t('project.publicServiceMission'), p.publicServiceMission ? t('common.yes') : t('common.no')],
          [t('project.requestedEndDate'), day(p.requestedEndDate)],
          [t('project.authorisedEndDate'), day(p.authorisedEndDate)],
          [t('registry.cesrees'), p.cesrees.outcome ? `${t(`project.cesreesOutcome.${p.cesrees.outcome as CesreesKey}`)} — ${p.cesrees.reference ?? ''} — ${day(p.cesrees.decidedOn) ?? ''}` : null],
          [t('registry.cnil'), p.cnil.outcome ? `${t(`project.cnilOutcome.${p.cnil.outcome as CnilKey}`)} n° ${p.cnil.number ?? ''} — ${day(p.cnil.decidedOn) ?? ''}` : null],
          [t('project.conventionAcceptances'), p.convention.acceptances.map((a) => `${t(a.party === 'hub' ? 'convention.hub' : 'convention.applicant')} (${a.acceptedBy})`).join(', ')],
        ]}
      />
      <h2>{t('perimeter.title')}</h2>
      {current ? (
        <div className="hdh-perimeter-view">
          <p>{t('perimeter.version', { n: current.version })} — {current.perimeter.datasets.join(', ')} — {formatDate(current.perimeter.period.from)} → {formatDate(current.perimeter.period.to)}</p>
          <ul>
            {current.perimeter.tables.map((tb) => <li key={tb.name}><code>{tb.name}</code> : {tb.columns.join(', ')}</li>)}
          </ul>
          <p>{current.perimeter.population.description}</p>
        </div>
      ) : <p>{t('perimeter.none')}</p>}
      <h2>{t('interests.title')}</h2>
      {p.interests.length === 0 ? <p>{t('interests.none')}</p> : (
        <ul className="hdh-interests">
          {p.interests.map((i) => <li key={i.id}>{i.personName} ({t(`interests.capacity.${i.capacity as 'data_controller' | 'research_lead' | 'team_member'}`)}) — {formatDate(i.signedOn)} : {i.statement}</li>)}
        </ul>
      )}
      {p.documents.length > 0 && (
        <>
          <h2>{t('documents.title')}</h2>
          <ul className="hdh-documents">
            {p.documents.map((d) => (
              <li key={d.id}>
                <Link to={`/api/projects/${p.id}/documents/${d.id}`} reloadDocument>{d.name}</Link> ({d.kind}, v{d.version}, {formatDateTime(d.uploadedAt)})
              </li>
            ))}
          </ul>
        </>
      )}
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
    </>
  );
}
