/** DSFR badges for the states of a workspace, a query and a job. */
import { useI18n, type MessageKey } from '../i18n.ts';
import type { QueryStatus, WorkspaceStatus } from './types.ts';

type Severity = 'success' | 'error' | 'info' | 'warning' | 'new';

function badge(severity: Severity, text: string, id?: string) {
  return (
    <span className={`fr-badge fr-badge--sm fr-badge--${severity}`} id={id}>
      {text}
    </span>
  );
}

const workspaceSeverity: Record<WorkspaceStatus, Severity> = { not_provisioned: 'info', extracting: 'new', open: 'success', closed: 'warning' };

export function WorkspaceStatusBadge({ status }: { status: WorkspaceStatus }) {
  const { t } = useI18n();
  return badge(workspaceSeverity[status], t(`ws.status.${status}`), 'workspace-status');
}

const runSeverity: Record<string, Severity> = { queued: 'info', running: 'new', done: 'success', failed: 'error', cancelled: 'warning' };

export function QueryStatusBadge({ status }: { status: QueryStatus | string }) {
  const { t } = useI18n();
  const key = `ws.run.${status}` as MessageKey;
  return badge(runSeverity[status] ?? 'info', status in runSeverity ? t(key) : status);
}
