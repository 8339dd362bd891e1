/** First rows of a table from the newest synthetic release that holds it, with its downloads. */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { nameMatcher } from './text.ts';
import type { Release, Sample } from './types.ts';

const SAMPLE_ROWS = 20;

/** `namePattern`: a yearly table's template (T_MCOaaB) is in releases under its yearly names (T_MCO21B). */
export function SyntheticSample({ table, namePattern }: { table: string; namePattern: string | null }) {
  const { t, formatDateTime } = useI18n();
  const releases = useQuery({ queryKey: ['synthetic', 'releases'], queryFn: () => api.get<Release[]>('/api/synthetic/releases') });
  const matches = nameMatcher(table, namePattern);
  const release = releases.data?.filter((r) => r.synthetic && r.tables.some((x) => matches(x.name))).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  const names = release?.tables.filter((x) => matches(x.name)).map((x) => x.name).sort() ?? [];
  const [picked, setPicked] = useState<string | null>(null);
  // The newest year by default.
  const shown = picked && names.includes(picked) ? picked : names[names.length - 1];
  const base = release && shown ? `/api/synthetic/releases/${release.name}/${release.version}/tables/${encodeURIComponent(shown)}` : null;
  const sample = useQuery({
    queryKey: ['synthetic', 'sample', base],
    queryFn: () => api.get<Sample>(`${base}/sample?limit=${SAMPLE_ROWS}`),
    enabled: !!base,
  });

  return (
    <section className="fr-mt-6w" aria-labelledby="sample-title">
      <h2 id="sample-title">{t('sample.title')}</h2>
      <ErrorAlert error={releases.error ?? sample.error} />
      {releases.isSuccess && !release && <p>{t('sample.none')}</p>}
      {release && (
        <>
          <p>
            {t('sample.from', { name: release.name, version: release.version, date: formatDateTime(release.createdAt), rows: release.tables.find((x) => x.name === shown)?.rows.toLocaleString() ?? '?' })}
          </p>
          {names.length > 1 && (
            <Select label={t('sample.yearly')} nativeSelectProps={{ name: 'sample-table', value: shown, onChange: (e) => setPicked(e.target.value) }}>
              {names.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </Select>
          )}
          <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--sm fr-btns-group--icon-left">
            <li>
              <Button priority="secondary" iconId="fr-icon-download-line" linkProps={{ to: `${base}/download?format=csv`, reloadDocument: true, download: true }}>
                {t('sample.csv')}
              </Button>
            </li>
            <li>
              <Button priority="secondary" iconId="fr-icon-download-line" linkProps={{ to: `${base}/download?format=parquet`, reloadDocument: true, download: true }}>
                {t('sample.parquet')}
              </Button>
            </li>
          </ul>
          {sample.data && (
            <div className="hdh-scroll">
              <Table
                className="hdh-sample"
                caption={t('sample.caption', { n: sample.data.rows.length })}
                fixed={false}
                headers={sample.data.columns}
                data={sample.data.rows.map((row) => sample.data.columns.map((c) => cell(row[c])))}
              />
            </div>
          )}
        </>
      )}
    </section>
  );
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

