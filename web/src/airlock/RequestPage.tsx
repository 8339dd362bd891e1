/**
 * A release request (demande de sortie) of a project, for its members: status, files with their
 * flagged cells and reports, the fixes and edits while it is editable, submission, votes as the
 * caller may see them, history, downloads once released, publication to the registry (lead).
 */
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { BackLink } from '../shell/BackLink.tsx';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { workspacePaths } from '../workspaces/types.ts';
import { FileSection } from './FileSection.tsx';
import { EventList, VotesList } from './History.tsx';
import { PublishForm, RequestActions } from './RequestActions.tsx';
import { OutputStatusBadge } from './StatusBadge.tsx';
import { airlockApi, airlockKeys, airlockPaths, editableStatuses, type OutputRequestView } from './types.ts';
import './airlock.css';

export function useOutputRequest(projectId: string, requestId: string) {
  return useQuery({
    queryKey: airlockKeys.request(projectId, requestId),
    queryFn: () => api.get<OutputRequestView>(airlockApi.request(projectId, requestId)),
    // The automatic check runs right after submission: look again until it has placed the request.
    refetchInterval: (q) => (q.state.data?.status === 'submitted' ? 1500 : false),
  });
}

export function RequestPage() {
  const { id = '', rid = '' } = useParams();
  const { t, formatDateTime } = useI18n();
  const request = useOutputRequest(id, rid);

  if (request.error) {
    return (
      <>
        <BackLink to={airlockPaths.requests(id)}>{t('airlock.requests.title')}</BackLink>
        <ErrorAlert error={request.error} />
      </>
    );
  }
  if (!request.data) return <p>{t('app.loading')}</p>;
  const r = request.data;
  return (
    <>
      <BackLink to={airlockPaths.requests(id)}>{t('airlock.requests.title')}</BackLink>
      <h1>
        {r.title} <OutputStatusBadge status={r.status} id="request-status" />
      </h1>
      <p className="fr-text--lead fr-mb-2w">
        {t('airlock.request.meta', { reference: r.projectReference, author: r.createdBy.name, date: formatDateTime(r.createdAt) })}
        {r.submittedAt && ` ${t('airlock.request.submittedAt', { date: formatDateTime(r.submittedAt) })}`}
        {r.releasedAt && ` ${t('airlock.request.releasedAt', { date: formatDateTime(r.releasedAt) })}`}
      </p>
      <Alert severity={statusSeverity(r)} small className="fr-mb-3w" description={t(`airlock.statusHelp.${r.status}`)} />
      {r.override.requested && (
        <Alert severity="warning" small className="fr-mb-3w" title={t('airlock.request.override')} description={r.override.justification ?? ''} />
      )}
      <RequestActions request={r} />
      <PublishForm request={r} />
      <section aria-labelledby="files-title" className="fr-mb-4w">
        <h2 id="files-title" className="fr-h4">
          {t('airlock.request.files', { n: r.files.length })}
        </h2>
        {r.files.length === 0 && <p>{t('airlock.request.noFiles')}</p>}
        {r.canEdit && editableStatuses.includes(r.status) && (
          <p className="fr-text--sm">
            {t('airlock.request.addFromWorkspace')}{' '}
            <Button priority="tertiary" size="small" iconId="fr-icon-terminal-box-line" linkProps={{ to: workspacePaths.workspace(id) }}>
              {t('ws.open')}
            </Button>
          </p>
        )}
        {r.files.map((f, i) => (
          <FileSection key={f.id} request={r} file={f} index={i} />
        ))}
      </section>
      <VotesList votes={r.votes} round={r.round} />
      <EventList events={r.events} />
    </>
  );
}

function statusSeverity(r: OutputRequestView): 'info' | 'success' | 'warning' | 'error' {
  if (r.status === 'released') return 'success';
  if (r.status === 'quarantined' || r.status === 'rejected') return 'error';
  if (r.status === 'changes_requested') return 'warning';
  return 'info';
}
