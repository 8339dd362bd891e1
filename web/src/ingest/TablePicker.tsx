/**
 * Which catalogue table a file is for. A producer sees the tables of the datasets its
 * organisation produces (the ones the server lets it load); an administrator sees every table.
 * A search box narrows the list by name, title or product.
 */
import { useQueries, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api.ts';
import type { Dataset, DatasetSummary } from '../catalog/types.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { hasRole, useSession } from '../shell/session.ts';

interface TableChoice {
  name: string;
  product: string;
  title: string;
}

const SHOWN = 30;

function useLoadableTables(): { tables: TableChoice[] | undefined; error: unknown } {
  const { data: session } = useSession();
  const admin = hasRole(session, ['administrator']);
  const organisation = session?.user?.organisationId ?? null;
  const all = useQuery({ queryKey: ['catalog', 'tables'], queryFn: () => api.get<TableChoice[]>('/api/catalog/tables'), enabled: admin });
  const datasets = useQuery({ queryKey: ['catalog', 'datasets'], queryFn: () => api.get<DatasetSummary[]>('/api/catalog/datasets'), enabled: !admin });
  const mine = (datasets.data ?? []).filter((d) => organisation !== null && d.producer.organisationId === organisation);
  const details = useQueries({
    queries: mine.map((d) => ({ queryKey: ['catalog', 'dataset', d.slug], queryFn: () => api.get<Dataset>(`/api/catalog/datasets/${encodeURIComponent(d.slug)}`) })),
  });
  if (admin) return { tables: all.data, error: all.error };
  const error = datasets.error ?? details.find((q) => q.error)?.error;
  if (!datasets.data || details.some((q) => q.isPending)) return { tables: undefined, error };
  const byName = new Map<string, TableChoice>();
  for (const q of details) for (const tb of q.data?.tables ?? []) byName.set(tb.name, { name: tb.name, product: tb.product, title: tb.title });
  return { tables: [...byName.values()].sort((a, b) => a.name.localeCompare(b.name)), error };
}

export function TablePicker({ value, onChange, disabled }: { value: string; onChange: (table: string) => void; disabled?: boolean }) {
  const { t } = useI18n();
  const { tables, error } = useLoadableTables();
  const [search, setSearch] = useState(value);
  const needle = search.trim().toLowerCase();
  const matching = (tables ?? []).filter((tb) => !needle || [tb.name, tb.title, tb.product].some((s) => s.toLowerCase().includes(needle)));
  // The chosen table stays listed whatever the search says.
  const chosen = (tables ?? []).find((tb) => tb.name === value);
  const shown = chosen && !matching.slice(0, SHOWN).includes(chosen) ? [chosen, ...matching.slice(0, SHOWN - 1)] : matching.slice(0, SHOWN);
  return (
    <fieldset className="fr-fieldset hdh-ingest-tables" aria-describedby="ingest-table-hint" disabled={disabled}>
      <legend className="fr-fieldset__legend">{t('ingest.table')}</legend>
      <p className="fr-hint-text fr-fieldset__element" id="ingest-table-hint">{t('ingest.tableHint')}</p>
      <div className="fr-fieldset__element">
        <div className="fr-input-group">
          <label className="fr-label" htmlFor="ingest-table-search">{t('ingest.tableSearch')}</label>
          <input className="fr-input" id="ingest-table-search" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
      </div>
      <ErrorAlert error={error} />
      {!tables && !error && <p className="fr-fieldset__element">{t('app.loading')}</p>}
      {tables && tables.length === 0 && <p className="fr-fieldset__element">{t('ingest.noTables')}</p>}
      {tables && tables.length > 0 && matching.length === 0 && <p className="fr-fieldset__element">{t('ingest.noTableMatches')}</p>}
      {shown.map((tb) => (
        <div key={tb.name} className="fr-fieldset__element">
          <div className="fr-radio-group">
            <input type="radio" id={`ingest-table-${tb.name}`} name="table" value={tb.name} checked={tb.name === value} onChange={() => onChange(tb.name)} />
            <label className="fr-label" htmlFor={`ingest-table-${tb.name}`}>
              {tb.name} — {tb.title}
              <span className="fr-hint-text">{tb.product}</span>
            </label>
          </div>
        </div>
      ))}
      {matching.length > SHOWN && <p className="fr-fieldset__element fr-hint-text">{t('ingest.moreTables', { n: matching.length - SHOWN })}</p>}
    </fieldset>
  );
}
