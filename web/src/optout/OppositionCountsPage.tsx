/** Hub staff: the opposition registry in counts — active, recorded and withdrawn per month. Never people. */
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';

interface Counts {
  asOf: string;
  active: number;
  months: { month: string; recorded: number; withdrawn: number }[];
}

export function OppositionCountsPage() {
  const { t, lang, formatDateTime } = useI18n();
  const counts = useQuery({ queryKey: ['admin', 'opposition', 'counts'], queryFn: () => api.get<Counts>('/api/admin/opposition/counts') });
  const monthName = new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' });
  return (
    <>
      <h1>{t('optout.staff.title')}</h1>
      <p>{t('optout.staff.lead')}</p>
      <ErrorAlert error={counts.error} />
      {counts.data && (
        <>
          <div className="fr-p-3w fr-mb-4w hdh-panel" data-testid="active-count">
            <p className="fr-h2 fr-mb-0">{counts.data.active}</p>
            <p className="fr-mb-0">
              {t('optout.staff.active')} <span className="fr-text-mention--grey">{t('optout.staff.asOf', { date: formatDateTime(counts.data.asOf) })}</span>
            </p>
          </div>
          {counts.data.months.length === 0 ? (
            <p>{t('optout.staff.none')}</p>
          ) : (
            <Table
              caption={t('optout.staff.perMonth')}
              headers={[t('optout.staff.month'), t('optout.staff.recorded'), t('optout.staff.withdrawn')]}
              data={[...counts.data.months].reverse().map((m) => [monthName.format(new Date(`${m.month}-01T00:00:00Z`)), String(m.recorded), String(m.withdrawn)])}
            />
          )}
        </>
      )}
    </>
  );
}
