/**
 * The security officer's alerts (LOG-08): attempts to download files the airlock has not
 * released, unusually large exports… newest first. Each is also e-mailed to the security officers.
 */
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { projectPaths } from '../projects/types.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { useLabel } from './History.tsx';
import { airlockApi, airlockKeys, type SecurityAlert } from './types.ts';

const severity: Record<string, 'error' | 'warning' | 'info'> = { high: 'error', medium: 'warning', low: 'info' };

function detailsText(details: SecurityAlert['details']): string {
  if (details === null || details === undefined) return '';
  if (typeof details === 'string') return details;
  return Object.entries(details)
    .map(([k, v]) => `${k} : ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' · ');
}

export function AlertsPage() {
  const { t, formatDateTime } = useI18n();
  const label = useLabel();
  const alerts = useQuery({ queryKey: airlockKeys.alerts, queryFn: () => api.get<SecurityAlert[]>(airlockApi.alerts), refetchInterval: 60_000 });
  return (
    <>
      <h1>{t('airlock.alerts.title')}</h1>
      <p className="fr-text--lead">{t('airlock.alerts.lead')}</p>
      <ErrorAlert error={alerts.error} />
      {alerts.isPending && <p>{t('app.loading')}</p>}
      {alerts.data && alerts.data.length === 0 && <p id="alerts-none">{t('airlock.alerts.none')}</p>}
      {alerts.data && alerts.data.length > 0 && (
        <div className="fr-table fr-table--bordered">
          <table id="alerts">
            <caption>{t('airlock.alerts.caption', { n: alerts.data.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('airlock.alerts.at')}</th>
                <th scope="col">{t('airlock.alerts.rule')}</th>
                <th scope="col">{t('airlock.alerts.severity')}</th>
                <th scope="col">{t('airlock.alerts.actor')}</th>
                <th scope="col">{t('airlock.alerts.project')}</th>
                <th scope="col">{t('airlock.alerts.details')}</th>
                <th scope="col">{t('airlock.alerts.emailed')}</th>
              </tr>
            </thead>
            <tbody>
              {alerts.data.map((a) => (
                <tr key={a.id} data-rule={a.rule}>
                  <td>{formatDateTime(a.at)}</td>
                  <td>{label(`airlock.alert.${a.rule}`, a.rule)}</td>
                  <td>
                    <Badge as="span" small severity={severity[a.severity] ?? 'info'}>
                      {label(`airlock.alertSeverity.${a.severity}`, a.severity)}
                    </Badge>
                  </td>
                  <td>{a.actor}</td>
                  <td>{a.projectId ? <Link to={projectPaths.project(a.projectId)}>{t('airlock.alerts.openProject')}</Link> : '—'}</td>
                  <td className="fr-text--sm">{detailsText(a.details)}</td>
                  <td>{a.emailed === undefined ? '—' : a.emailed ? t('common.yes') : t('common.no')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
