/** New project (the file only) and the lead's edit page: file, perimeter, declarations of interest. */
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { FileForm } from './FileForm.tsx';
import { InterestsForm } from './InterestsForm.tsx';
import { PerimeterPicker } from './PerimeterPicker.tsx';
import { projectPaths, type PerimeterVersion, type Project } from './types.ts';
import { BackLink } from '../shell/BackLink.tsx';

export function NewProjectPage() {
  const { t } = useI18n();
  return (
    <>
      <h1>{t('projects.new')}</h1>
      <p>{t('projects.newLead')}</p>
      <FileForm />
    </>
  );
}

export function EditProjectPage() {
  const { id = '' } = useParams();
  const { t } = useI18n();
  const project = useQuery({ queryKey: ['project', id], queryFn: () => api.get<Project>(`/api/projects/${id}`) });
  const perimeter = useQuery({ queryKey: ['project', id, 'perimeter'], queryFn: () => api.get<PerimeterVersion[]>(`/api/projects/${id}/perimeter`) });
  if (project.error) return <ErrorAlert error={project.error} />;
  if (!project.data || perimeter.isPending) return <p>{t('app.loading')}</p>;
  const p = project.data;
  return (
    <>
      <BackLink to={projectPaths.project(p.id)}>{p.reference}</BackLink>
      <h1>{t('project.editTitle', { reference: p.reference })}</h1>
      <h2>{t('project.file')}</h2>
      <FileForm project={p} />
      <PerimeterPicker projectId={p.id} current={perimeter.data?.at(-1)?.perimeter} />
      <InterestsForm project={p} />
      <Link className="fr-btn" to={projectPaths.project(p.id)}>{t('project.backToProject')}</Link>
    </>
  );
}
