/**
 * The data controllers — responsables de traitement (PR-05): every organisation named as data
 * controller (RT) or joint controller (co-RT) of a project in the public registry, with its
 * projects.
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, withQuery } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import type { OrganisationType, RegistryEntry } from '../projects/types.ts';
import { controllersOf } from './controllers.ts';
import { CitizensFrame } from './CitizensFrame.tsx';

export function ControllersPage() {
  const { t } = useI18n();
  const entries = useQuery({ queryKey: ['registry', ''], queryFn: () => api.get<RegistryEntry[]>('/api/registry/projects') });
  const controllers = entries.data ? controllersOf(entries.data) : [];
  return (
    <CitizensFrame title={t('citizens.controllers.title')} lead={t('citizens.controllers.lead')}>
      <p>{t('citizens.controllers.hub')}</p>
      <ErrorAlert error={entries.error} />
      {entries.isPending && <p>{t('app.loading')}</p>}
      {entries.data && controllers.length === 0 && <p>{t('citizens.controllers.none')}</p>}
      {controllers.length > 0 && (
        <div className="fr-table">
          <table className="hdh-controllers">
            <caption>{t('citizens.controllers.caption', { n: controllers.length })}</caption>
            <thead>
              <tr>
                <th>{t('citizens.controllers.name')}</th>
                <th>{t('citizens.controllers.capacity')}</th>
                <th>{t('file.organisationTypeLabel')}</th>
                <th>{t('citizens.controllers.projects')}</th>
              </tr>
            </thead>
            <tbody>
              {controllers.map((c) => (
                <tr key={c.name} data-controller={c.name}>
                  <td>{c.name}</td>
                  <td>{[...c.kinds].map((k) => (k === 'rt' ? t('citizens.controllers.rt') : t('citizens.controllers.coRt'))).join(', ')}</td>
                  <td>{c.organisationType ? t(`file.organisationType.${c.organisationType as OrganisationType}`) : '—'}</td>
                  <td>
                    <ul className="fr-mb-0">
                      {c.projects.map((p) => (
                        <li key={p.reference}><Link to={withQuery('/registre', { q: p.reference })}>{p.reference}</Link> — {p.title} ({t(`project.status.${p.status}`)})</li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </CitizensFrame>
  );
}
