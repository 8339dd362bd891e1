/** DSFR badges of the airlock: a request's status, a check's verdict, a reviewer's decision. Text first, colour second. */
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { useI18n } from '../i18n.ts';
import type { Decision, OutputStatus, Verdict } from './types.ts';

type Severity = 'success' | 'error' | 'info' | 'warning' | 'new';

const statusSeverity: Record<OutputStatus, Severity | undefined> = {
  draft: undefined,
  submitted: 'info',
  quarantined: 'error',
  under_review: 'new',
  changes_requested: 'warning',
  approved: 'info',
  released: 'success',
  rejected: 'error',
  withdrawn: undefined,
};

export function OutputStatusBadge({ status, id }: { status: OutputStatus; id?: string }) {
  const { t } = useI18n();
  const severity = statusSeverity[status];
  return (
    <Badge as="span" small noIcon={!severity} {...(severity ? { severity } : {})} data-status={status} {...(id ? { id } : {})}>
      {t(`airlock.status.${status}`)}
    </Badge>
  );
}

const verdictSeverity: Record<Verdict, Severity> = { pass: 'success', review: 'warning', fail: 'error' };

export function VerdictBadge({ verdict }: { verdict: Verdict }) {
  const { t } = useI18n();
  return (
    <Badge as="span" small severity={verdictSeverity[verdict]} data-verdict={verdict}>
      {t(`airlock.verdict.${verdict}`)}
    </Badge>
  );
}

const decisionSeverity: Record<Decision, Severity> = { approve: 'success', changes_requested: 'warning', reject: 'error' };

export function DecisionBadge({ decision }: { decision: Decision }) {
  const { t } = useI18n();
  return (
    <Badge as="span" small severity={decisionSeverity[decision]} data-decision={decision}>
      {t(`airlock.decided.${decision}`)}
    </Badge>
  );
}
