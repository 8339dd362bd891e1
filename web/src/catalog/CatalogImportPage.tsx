/**
 * Hub staff: import a .zip of a Frictionless Table Schema folder into the catalogue — the same
 * all-or-nothing import as `hdh catalog import`. Shows the diff, or every problem with its file
 * and JSON pointer (nothing is applied then).
 */
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError, api, withQuery } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';

interface Counts {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
}
interface ImportResult {
  version: number | null;
  source: string;
  durationMs: number;
  diff: { tables: Counts; variables: Counts; joins: Counts; nomenclatures: Counts; codes: number };
  datasets: Counts;
}
interface Problem {
  file: string;
  pointer: string;
  message: string;
}

function problemsOf(error: unknown): Problem[] {
  if (!(error instanceof ApiError)) return [];
  const details = error.details as { problems?: Problem[] } | Problem[] | undefined;
  if (Array.isArray(details)) return [];
  return details?.problems ?? [];
}

export function CatalogImportPage() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [source, setSource] = useState('');
  const run = useMutation({
    mutationFn: () => {
      const form = new FormData();
      form.append('file', file!, file!.name);
      return api.upload<ImportResult>(withQuery('/api/admin/catalog/import', { source: source.trim() || undefined }), form);
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['catalog'] }),
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    if (file) run.mutate();
  }
  const problems = problemsOf(run.error);
  const r = run.data;
  const row = (label: string, c: Counts) => [label, c.added, c.changed, c.removed, c.unchanged];
  return (
    <>
      <h1>{t('catalogImport.title')}</h1>
      <p>{t('catalogImport.lead')}</p>
      <form onSubmit={submit} aria-label={t('catalogImport.title')}>
        <div className="fr-upload-group fr-mb-3w">
          <label className="fr-label" htmlFor="catalog-archive">
            {t('catalogImport.file')}
            <span className="fr-hint-text">{t('catalogImport.fileHint')}</span>
          </label>
          <input className="fr-upload" type="file" id="catalog-archive" name="file" accept=".zip,application/zip" required onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </div>
        <Input label={t('catalogImport.source')} hintText={t('catalogImport.sourceHint')} nativeInputProps={{ name: 'source', value: source, onChange: (e) => setSource(e.target.value) }} />
        <Button type="submit" iconId="fr-icon-upload-line" disabled={!file || run.isPending}>
          {run.isPending ? t('catalogImport.running') : t('catalogImport.submit')}
        </Button>
      </form>
      {problems.length > 0 ? (
        <Alert
          className="fr-mt-3w"
          severity="error"
          title={t('catalogImport.refused')}
          description={
            <ul>
              {problems.map((p, i) => (
                <li key={i}>
                  <code>{p.file}{p.pointer ? `#${p.pointer}` : ''}</code> — {p.message}
                </li>
              ))}
            </ul>
          }
        />
      ) : (
        <ErrorAlert error={run.error} />
      )}
      {r && (
        <div className="fr-mt-3w" role="status">
          <Alert severity="success" small description={r.version ? t('catalogImport.done', { source: r.source, version: r.version, seconds: (r.durationMs / 1000).toFixed(1) }) : t('catalogImport.unchanged', { source: r.source })} />
          <Table
            fixed={false}
            headers={[t('catalogImport.what'), t('catalogImport.added'), t('catalogImport.changed'), t('catalogImport.removed'), t('catalogImport.kept')]}
            data={[
              row(t('catalogImport.tables'), r.diff.tables),
              row(t('catalogImport.variables'), r.diff.variables),
              row(t('catalogImport.joins'), r.diff.joins),
              row(t('catalogImport.nomenclatures'), r.diff.nomenclatures),
              row(t('catalogImport.datasets'), r.datasets),
            ].map((cells) => cells.map(String))}
          />
          <p>{t('catalogImport.codes', { count: r.diff.codes })}</p>
        </div>
      )}
    </>
  );
}
