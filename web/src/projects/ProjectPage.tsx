/**
 * A project: the caller's actions, the file (fiche), the perimeter, the team, the declarations of
 * interest, the documents, the results, the exchanges with the hub and the timeline (LC-06).
 */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { api } from '../api.ts';
import { Facts } from '../catalog/common.tsx';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { ActionForms } from './ActionForms.tsx';
import type { CesreesKey, CnilKey } from './RegistryPage.tsx';
import { DocumentsSection } from './DocumentsSection.tsx';
import { MessagesSection } from './MessagesSection.tsx';
import { ResultsSection } from './ResultsSection.tsx';
import { TeamSection } from './TeamSection.tsx';
import { TimelineSection } from './TimelineSection.tsx';
import { projectPaths, resultsStatuses, type OrganisationType, type Party, type PerimeterVersion, type Project } from './types.ts';
import { BackLink } from '../shell/BackLink.tsx';
import { workspacePaths } from '../workspaces/types.ts';
import { airlockPaths } from '../airlock/types.ts';

const editable = new Set(['draft', 'returned', 'cesrees_opinion']);
const partyText = (p: Party) => (p.role ? `${p.name} (${p.role})` : p.name);

export function ProjectPage() {
  const { id = '' } = useParams();
  const { t, formatDate } = useI18n();
  const project = useQuery({ queryKey: ['project', id], queryFn: () => api.get<Project>(`/api/projects/${id}`) });
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
      {resultsStatuses.includes(p.status) && <Button priority="secondary" iconId="fr-icon-upload-2-line" className="fr-mb-3w fr-ml-1w" linkProps={{ to: airlockPaths.requests(p.id), id: 'open-outputs' }}>{t('airlock.requests.title')}</Button>}
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
          [t('project.dataControllers'), p.dataControllers.map((c) => `${c.name} (${c.kind === 'rt' ? 'RT' : 'co-RT'}${c.organisationType ? `, ${t(`file.organisationType.${c.organisationType as OrganisationType}`)}` : ''})`).join(', ')],
          [t('file.rmo'), p.rmo ? partyText(p.rmo) : null],
          [t('file.subcontractors'), p.subcontractors.map(partyText).join(' ; ')],
          [t('file.referenceMethodology'), p.referenceMethodology],
          [t('file.conformityDeclaration'), p.conformityDeclaration ? `${p.conformityDeclaration.reference} — ${formatDate(p.conformityDeclaration.declaredOn)}` : null],
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
      <TeamSection project={p} />
      <h2>{t('interests.title')}</h2>
      {p.interests.length === 0 ? <p>{t('interests.none')}</p> : (
        <ul className="hdh-interests">
          {p.interests.map((i) => <li key={i.id}>{i.personName} ({t(`interests.capacity.${i.capacity as 'data_controller' | 'research_lead' | 'team_member'}`)}) — {formatDate(i.signedOn)} : {i.statement}</li>)}
        </ul>
      )}
      <DocumentsSection project={p} />
      <ResultsSection project={p} />
      <MessagesSection projectId={p.id} />
      <TimelineSection projectId={p.id} />
    </>
  );
}
