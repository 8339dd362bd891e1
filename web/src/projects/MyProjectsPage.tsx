/** The caller's projects (lead, member; staff see every file) and, for instructors, the dashboard. */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { hasRole, useSession } from '../shell/session.ts';
import { projectPaths, type Dashboard, type ProjectSummary } from './types.ts';

export function MyProjectsPage() {
  const { t, formatDate } = useI18n();
  const { data: session } = useSession();
  const staff = hasRole(session, ['hub_instructor', 'administrator']);
  const lead = hasRole(session, ['project_lead']);
  const projects = useQuery({ queryKey: ['projects'], queryFn: () => api.get<ProjectSummary[]>('/api/projects') });
  return (
    <>
      <h1>{staff ? t('projects.allTitle') : t('projects.mineTitle')}</h1>
      {lead && (
        <Button iconId="fr-icon-add-line" className="fr-mb-3w" linkProps={{ to: projectPaths.create }}>{t('projects.new')}</Button>
      )}
      {staff && <DashboardSection />}
      <ErrorAlert error={projects.error} />
      {projects.data && projects.data.length === 0 && <p>{t('projects.none')}</p>}
      {projects.data && projects.data.length > 0 && (
        <div className="fr-table">
          <table className="hdh-projects">
            <thead>
              <tr>
                <th>{t('project.reference')}</th>
                <th>{t('project.title')}</th>
                <th>{t('project.legalRoute')}</th>
                <th>{t('project.status')}</th>
                <th>{t('project.dueDate')}</th>
              </tr>
            </thead>
            <tbody>
              {projects.data.map((p) => (
                <tr key={p.id}>
                  <td>{p.reference}</td>
                  <td><Link to={projectPaths.project(p.id)}>{p.title}</Link></td>
                  <td>{t(`project.route.${p.legalRoute}`)}</td>
                  <td>{t(`project.status.${p.status}`)}</td>
                  <td>{p.dueDate ? formatDate(p.dueDate) : '—'}{p.overdue && <span className="fr-badge fr-badge--sm fr-badge--error fr-ml-1w">{t('project.overdue')}</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function DashboardSection() {
  const { t, formatDate } = useI18n();
  const dashboard = useQuery({ queryKey: ['projects', 'dashboard'], queryFn: () => api.get<Dashboard>('/api/projects/dashboard') });
  if (dashboard.error) return <ErrorAlert error={dashboard.error} />;
  if (!dashboard.data) return <p>{t('app.loading')}</p>;
  const d = dashboard.data;
  const steps = Object.entries(d.perStep).filter(([, n]) => n > 0);
  return (
    <section className="hdh-dashboard fr-mb-4w">
      <h2>{t('dashboard.title')}</h2>
      <h3 className="fr-h6">{t('dashboard.perStep')}</h3>
      {steps.length === 0 ? <p>{t('projects.none')}</p> : (
        <ul className="hdh-per-step">
          {steps.map(([step, n]) => <li key={step}>{t(`project.status.${step as ProjectSummary['status']}`)} : {n}</li>)}
        </ul>
      )}
      <h3 className="fr-h6">{t('dashboard.overdue')}</h3>
      {d.overdue.length === 0 ? <p>{t('dashboard.noOverdue')}</p> : (
        <ul>
          {d.overdue.map((o) => (
            <li key={o.id}>
              <Link to={projectPaths.project(o.id)}>{o.reference} — {o.title}</Link> ({t(`project.status.${o.status}`)}, {formatDate(o.dueDate)}, {t('dashboard.daysOverdue', { n: o.daysOverdue })})
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
