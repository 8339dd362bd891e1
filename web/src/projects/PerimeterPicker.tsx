/**
 * The perimeter picker: search the catalogue's tables, tick tables then columns, give the period
 * and the population; saving PUTs a new version, which the server checks against the catalogue
 * and answers with located errors (perimeter.tables[i].columns[j]…).
 */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import type { Table as CatalogTable } from '../catalog/types.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import type { Perimeter, PerimeterVersion } from './types.ts';

interface TableSummary {
  name: string;
  product: string;
  title: string;
  variableCount: number;
}

const lines = (s: string) => s.split('\n').map((x) => x.trim()).filter(Boolean);

export function PerimeterPicker({ projectId, current }: { projectId: string; current: Perimeter | undefined }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const tables = useQuery({ queryKey: ['catalog', 'tables'], queryFn: () => api.get<TableSummary[]>('/api/catalog/tables') });
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<Record<string, string[]>>(() => Object.fromEntries((current?.tables ?? []).map((tb) => [tb.name, tb.columns])));
  const [from, setFrom] = useState(current?.period.from ?? '');
  const [to, setTo] = useState(current?.period.to ?? '');
  const [population, setPopulation] = useState(current?.population.description ?? '');
  const [inclusion, setInclusion] = useState(current?.population.inclusion.join('\n') ?? '');
  const [exclusion, setExclusion] = useState(current?.population.exclusion.join('\n') ?? '');
  const [months, setMonths] = useState(String(current?.durationMonths ?? 36));
  const save = useMutation({
    mutationFn: (body: Perimeter) => api.put<PerimeterVersion>(`/api/projects/${projectId}/perimeter`, body),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['project', projectId] });
    },
  });
  const products = new Map((tables.data ?? []).map((tb) => [tb.name, tb.product]));
  const needle = search.trim().toLowerCase();
  const shown = (tables.data ?? []).filter((tb) => !needle || tb.name.toLowerCase().includes(needle) || tb.title.toLowerCase().includes(needle) || tb.product.toLowerCase().includes(needle));
  const toggleTable = (name: string, on: boolean) => {
    const next = { ...picked };
    if (on) next[name] = [];
    else delete next[name];
    setPicked(next);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const names = Object.keys(picked);
    save.mutate({
      datasets: [...new Set(names.map((n) => products.get(n)).filter((p): p is string => !!p))],
      tables: names.map((name) => ({ name, columns: picked[name]! })),
      period: { from, to },
      population: { description: population, inclusion: lines(inclusion), exclusion: lines(exclusion) },
      durationMonths: Number(months),
    });
  };
  return (
    <section className="hdh-perimeter fr-mb-4w">
      <h2>{t('perimeter.title')}</h2>
      {current && <p>{t('perimeter.current')}</p>}
      <form onSubmit={submit}>
        <div className="fr-input-group">
          <label className="fr-label" htmlFor="perimeter-search">{t('perimeter.searchTables')}</label>
          <input className="fr-input" id="perimeter-search" name="tableSearch" type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </div>
        <ErrorAlert error={tables.error} />
        <fieldset className="fr-fieldset hdh-perimeter-tables">
          <legend className="fr-fieldset__legend">{t('perimeter.tables')}</legend>
          {shown.slice(0, 50).map((tb) => (
            <div key={tb.name} className="fr-fieldset__element">
              <div className="fr-checkbox-group">
                <input type="checkbox" id={`pick-${tb.name}`} name="table" value={tb.name} checked={tb.name in picked} onChange={(e) => toggleTable(tb.name, e.target.checked)} />
                <label className="fr-label" htmlFor={`pick-${tb.name}`}>{tb.name} — {tb.title} ({tb.product})</label>
              </div>
            </div>
          ))}
        </fieldset>
        {Object.keys(picked).map((name) => (
          <ColumnPicker key={name} table={name} columns={picked[name]!} onChange={(columns) => setPicked({ ...picked, [name]: columns })} />
        ))}
        <div className="fr-input-group">
          <label className="fr-label" htmlFor="perimeter-from">{t('perimeter.from')}</label>
          <input className="fr-input" id="perimeter-from" name="from" type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </div>
        <div className="fr-input-group">
          <label className="fr-label" htmlFor="perimeter-to">{t('perimeter.to')}</label>
          <input className="fr-input" id="perimeter-to" name="to" type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </div>
        <div className="fr-input-group">
          <label className="fr-label" htmlFor="perimeter-population">{t('perimeter.population')}</label>
          <textarea className="fr-input" id="perimeter-population" name="population" rows={2} value={population} onChange={(e) => setPopulation(e.target.value)} />
        </div>
        <div className="fr-input-group">
          <label className="fr-label" htmlFor="perimeter-inclusion">{t('perimeter.inclusion')}</label>
          <textarea className="fr-input" id="perimeter-inclusion" name="inclusion" rows={2} value={inclusion} onChange={(e) => setInclusion(e.target.value)} />
        </div>
        <div className="fr-input-group">
          <label className="fr-label" htmlFor="perimeter-exclusion">{t('perimeter.exclusion')}</label>
          <textarea className="fr-input" id="perimeter-exclusion" name="exclusion" rows={2} value={exclusion} onChange={(e) => setExclusion(e.target.value)} />
        </div>
        <div className="fr-input-group">
          <label className="fr-label" htmlFor="perimeter-months">{t('perimeter.months')}</label>
          <input className="fr-input" id="perimeter-months" name="durationMonths" type="number" min={1} max={240} value={months} onChange={(e) => setMonths(e.target.value)} />
        </div>
        <ErrorAlert error={save.error} />
        {save.data && <p className="fr-message fr-message--valid" id="perimeter-saved">{t('perimeter.saved', { n: save.data.version })}</p>}
        <Button type="submit" disabled={save.isPending}>{t('perimeter.save')}</Button>
      </form>
    </section>
  );
}

function ColumnPicker({ table, columns, onChange }: { table: string; columns: string[]; onChange: (columns: string[]) => void }) {
  const { t } = useI18n();
  const detail = useQuery({ queryKey: ['catalog', 'table', table], queryFn: () => api.get<CatalogTable>(`/api/catalog/tables/${encodeURIComponent(table)}`) });
  return (
    <fieldset className="fr-fieldset hdh-perimeter-columns" data-table={table}>
      <legend className="fr-fieldset__legend">{t('perimeter.columnsOf', { table })}</legend>
      <ErrorAlert error={detail.error} />
      {detail.data?.variables.map((v) => (
        <div key={v.name} className="fr-fieldset__element fr-fieldset__element--inline">
          <div className="fr-checkbox-group">
            <input
              type="checkbox"
              id={`col-${table}-${v.name}`}
              name="column"
              value={v.name}
              checked={columns.includes(v.name)}
              onChange={(e) => onChange(e.target.checked ? [...columns, v.name] : columns.filter((c) => c !== v.name))}
            />
            <label className="fr-label" htmlFor={`col-${table}-${v.name}`} title={v.label}>{v.name}</label>
          </div>
        </div>
      ))}
    </fieldset>
  );
}
