/** A load's status as a DSFR badge, its colour saying whether anything is left to do. */
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { useI18n } from '../i18n.ts';
import type { LoadStatus } from './types.ts';

const severity = { validating: 'info', validated: 'new', rejected: 'error', failed: 'error', published: 'success', discarded: undefined } as const;

export function StatusBadge({ status }: { status: LoadStatus }) {
  const { t } = useI18n();
  const s = severity[status];
  return (
    <Badge as="span" small {...(s ? { severity: s } : {})} className="hdh-ingest-status" data-status={status}>
      {t(`ingest.status.${status}`)}
    </Badge>
  );
}
