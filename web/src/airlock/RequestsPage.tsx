/** A project's release requests (demandes de sortie), newest first, and a new empty one. */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { projectPaths, type Project } from '../projects/types.ts';
import { BackLink } from '../shell/BackLink.tsx';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { workspacePaths } from '../workspaces/types.ts';
import { OutputStatusBadge, VerdictBadge } from './StatusBadge.tsx';
import { airlockApi, airlockKeys, airlockPaths, type OutputRequestView, type Verdict } from './types.ts';
import './airlock.css';

const rank: Record<Verdict, number> = { pass: 0, review: 1, fail: 2 };

export function worstVerdict(r: OutputRequestView): Verdict | null {
  return r.files.reduce<Verdict | null>((worst, f) => (worst === null || rank[f.report.verdict] > rank[worst] ? f.report.verdict : worst), null);
}

export function RequestsPage() {
  const { id = '' } = useParams();
  const { t, formatDateTime } = useI18n();
  const project = useQuery({ queryKey: ['project', id], queryFn: () => api.get<Project>(`/api/projects/${id}`) });
  const requests = useQuery({ queryKey: airlockKeys.requests(id), queryFn: () => api.get<OutputRequestView[]>(airlockApi.requests(id)) });
  return (
    <>
      <BackLink to={projectPaths.project(id)}>{project.data?.title ?? t('project.backToProject')}</BackLink>
      <h1>{t('airlock.requests.title')}</h1>
      {project.data && <p className="fr-text--lead fr-mb-2w">{project.data.reference} — {project.data.title}</p>}
      <p>{t('airlock.requests.lead')}</p>
      <Button priority="secondary" iconId="fr-icon-terminal-box-line" className="fr-mb-3w" linkProps={{ to: workspacePaths.workspace(id) }}>
        {t('ws.open')}
      </Button>
      <ErrorAlert error={requests.error} />
      {requests.isPending && <p>{t('app.loading')}</p>}
      {requests.data && requests.data.length === 0 && <p id="requests-none">{t('airlock.requests.none')}</p>}
      {requests.data && requests.data.length > 0 && (
        <div className="fr-table fr-table--bordered">
          <table id="requests">
            <caption>{t('airlock.requests.caption', { n: requests.data.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('airlock.requests.request')}</th>
                <th scope="col">{t('airlock.requests.status')}</th>
                <th scope="col">{t('airlock.requests.files')}</th>
                <th scope="col">{t('airlock.requests.checks')}</th>
                <th scope="col">{t('airlock.requests.author')}</th>
                <th scope="col">{t('airlock.requests.dates')}</th>
              </tr>
            </thead>
            <tbody>
              {requests.data.map((r) => {
                const verdict = r.verdict ?? worstVerdict(r);
                return (
                  <tr key={r.id} data-request={r.id}>
                    <td>
                      <Link to={airlockPaths.request(id, r.id)}>{r.title}</Link>
                    </td>
                    <td>
                      <OutputStatusBadge status={r.status} />
                    </td>
                    <td>{r.files.map((f) => f.name).join(', ') || '—'}</td>
                    <td>{verdict ? <VerdictBadge verdict={verdict} /> : '—'}</td>
                    <td>{r.createdBy.name}</td>
                    <td className="fr-text--sm">
                      {t('airlock.requests.created', { date: formatDateTime(r.createdAt) })}
                      {r.releasedAt && (
                        <>
                          <br />
                          {t('airlock.request.releasedAt', { date: formatDateTime(r.releasedAt) })}
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <NewRequestForm projectId={id} />
    </>
  );
}

function NewRequestForm({ projectId }: { projectId: string }) {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState('');
  const create = useMutation({
    mutationFn: () => api.post<OutputRequestView>(airlockApi.requests(projectId), { title: title.trim() }),
    onSuccess: async (r) => {
      await queryClient.invalidateQueries({ queryKey: airlockKeys.requests(projectId) });
      await navigate(airlockPaths.request(projectId, r.id));
    },
  });
  return (
    <form
      className="fr-mt-4w"
      id="new-request-form"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <fieldset className="fr-fieldset">
        <legend className="fr-fieldset__legend">{t('airlock.requests.new')}</legend>
        <div className="fr-fieldset__element">
          <Input label={t('airlock.release.requestTitle')} hintText={t('airlock.requests.newHint')} nativeInputProps={{ id: 'new-request-title', required: true, maxLength: 200, value: title, onChange: (e) => setTitle(e.target.value) }} />
        </div>
        <div className="fr-fieldset__element">
          <Button type="submit" disabled={create.isPending || title.trim() === ''}>
            {t('airlock.requests.create')}
          </Button>
        </div>
      </fieldset>
      <ErrorAlert error={create.error} />
    </form>
  );
}
