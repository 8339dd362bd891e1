/** The security officer's view of the hash-chained audit log: search, export, verify (LOG-01, LOG-05). */
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, withQuery } from '../api.ts';
import { useI18n, type MessageKey } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';

type Outcome = 'success' | 'failure' | 'denied';

interface AuditEvent {
  seq: number;
  occurredAt: string;
  actorId: string | null;
  actorLabel: string;
  actorRole: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  projectId: string | null;
  outcome: Outcome;
  sourceIp: string | null;
}

interface Verification {
  ok: boolean;
  eventsChecked: number;
  sealsChecked: number;
  problems: { kind: string; seq?: number; day?: string; message: string }[];
  unsealedDays: string[];
}

interface Filters {
  actor: string;
  action: string;
  outcome: '' | Outcome;
  from: string;
  to: string;
  project: string;
}

const noFilters: Filters = { actor: '', action: '', outcome: '', from: '', to: '', project: '' };
const PAGE = 100;
const outcomeSeverity: Record<Outcome, 'success' | 'error' | 'warning'> = { success: 'success', failure: 'error', denied: 'warning' };

export function AuditPage() {
  const { t, formatDateTime } = useI18n();
  const [draft, setDraft] = useState<Filters>(noFilters);
  const [filters, setFilters] = useState<Filters>(noFilters);

  const events = useInfiniteQuery({
    queryKey: ['audit', 'events', filters],
    queryFn: ({ pageParam }) => api.get<{ events: AuditEvent[] }>(withQuery('/api/audit/events', { ...filters, before: pageParam, limit: PAGE })),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => (last.events.length === PAGE ? last.events[last.events.length - 1]?.seq : undefined),
  });
  const verify = useMutation({ mutationFn: () => api.post<Verification>('/api/audit/verify') });

  const rows = events.data?.pages.flatMap((p) => p.events) ?? [];
  const field = (key: keyof Filters) => ({ value: draft[key], onChange: (e: { target: { value: string } }) => setDraft({ ...draft, [key]: e.target.value }) });

  function search(event: FormEvent) {
    event.preventDefault();
    setFilters(draft);
  }

  return (
    <>
      <h1>{t('audit.title')}</h1>
      <form onSubmit={search} className="fr-mb-3w" aria-label={t('audit.filters')}>
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-4">
            <Input label={t('audit.actor')} nativeInputProps={{ name: 'actor', ...field('actor') }} />
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Input label={t('audit.action')} nativeInputProps={{ name: 'action', placeholder: 'auth.login', ...field('action') }} />
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Select label={t('audit.outcome')} nativeSelectProps={{ name: 'outcome', ...field('outcome') }}>
              <option value="">{t('audit.outcomeAny')}</option>
              {(['success', 'failure', 'denied'] as const).map((o) => (
                <option key={o} value={o}>
                  {t(`audit.outcome.${o}`)}
                </option>
              ))}
            </Select>
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Input label={t('audit.from')} nativeInputProps={{ name: 'from', type: 'date', ...field('from') }} />
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Input label={t('audit.to')} nativeInputProps={{ name: 'to', type: 'date', ...field('to') }} />
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Input label={t('audit.project')} nativeInputProps={{ name: 'project', ...field('project') }} />
          </div>
        </div>
        <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
          <li>
            <Button type="submit" iconId="fr-icon-search-line">
              {t('audit.search')}
            </Button>
          </li>
          <li>
            <Button type="button" priority="secondary" onClick={() => { setDraft(noFilters); setFilters(noFilters); }}>
              {t('audit.reset')}
            </Button>
          </li>
          <li>
            <Button priority="tertiary" iconId="fr-icon-download-line" linkProps={{ to: withQuery('/api/audit/events.csv', { ...filters }), reloadDocument: true, download: true }}>
              {t('audit.csv')}
            </Button>
          </li>
          <li>
            <Button type="button" priority="tertiary" iconId="fr-icon-shield-line" disabled={verify.isPending} onClick={() => verify.mutate()}>
              {t('audit.verify')}
            </Button>
          </li>
        </ul>
      </form>

      <ErrorAlert error={verify.error} />
      {verify.data && <VerificationResult result={verify.data} />}
      <ErrorAlert error={events.error} />

      {events.isPending ? (
        <p>{t('app.loading')}</p>
      ) : rows.length === 0 ? (
        <p>{t('audit.none')}</p>
      ) : (
        <Table
          className="hdh-audit-table"
          caption={t('audit.caption')}
          fixed={false}
          headers={(['seq', 'time', 'actor', 'role', 'action', 'target', 'outcome', 'ip'] as const).map((c) => t(`audit.col.${c}` as MessageKey))}
          data={rows.map((e) => [
            e.seq,
            formatDateTime(e.occurredAt),
            e.actorLabel,
            e.actorRole ? t(`role.${e.actorRole}` as MessageKey) ?? e.actorRole : '',
            <code key="a">{e.action}</code>,
            [e.targetType, e.targetId].filter(Boolean).join(' '),
            <Badge key="o" small severity={outcomeSeverity[e.outcome]} noIcon>
              {t(`audit.outcome.${e.outcome}`)}
            </Badge>,
            e.sourceIp ?? '',
          ])}
        />
      )}
      {events.hasNextPage && (
        <Button priority="secondary" disabled={events.isFetchingNextPage} onClick={() => void events.fetchNextPage()}>
          {t('audit.more')}
        </Button>
      )}
    </>
  );
}

function VerificationResult({ result }: { result: Verification }) {
  const { t } = useI18n();
  if (result.ok) {
    return (
      <Alert
        className="fr-mb-3w"
        severity="success"
        title={t('audit.verifyOk', { events: result.eventsChecked, seals: result.sealsChecked })}
        description={result.unsealedDays.length ? t('audit.unsealed', { days: result.unsealedDays.join(', ') }) : undefined}
      />
    );
  }
  return (
    <Alert
      className="fr-mb-3w"
      severity="error"
      title={t('audit.verifyKo')}
      description={
        <ul>
          {result.problems.map((p, i) => (
            <li key={i}>
              {[p.kind, p.seq !== undefined ? `#${p.seq}` : null, p.day].filter(Boolean).join(' ')} — {p.message}
            </li>
          ))}
        </ul>
      }
    />
  );
}
