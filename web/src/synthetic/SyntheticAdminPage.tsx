/** Administrators: the synthetic releases in the lake and a form to generate a new SNDS one. */
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { catalogPaths } from '../catalog/links.ts';
import type { Release } from '../catalog/types.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';

export function SyntheticAdminPage() {
  const { t, formatDateTime } = useI18n();
  const queryClient = useQueryClient();
  const releases = useQuery({ queryKey: ['synthetic', 'releases'], queryFn: () => api.get<Release[]>('/api/synthetic/releases') });
  const year = new Date().getUTCFullYear();
  const [form, setForm] = useState({ persons: '1000', fromYear: String(year - 3), toYear: String(year - 1), seed: '1' });
  const generate = useMutation({
    mutationFn: () =>
      api.post<Release>('/api/admin/synthetic/releases', { persons: Number(form.persons), fromYear: Number(form.fromYear), toYear: Number(form.toYear), seed: Number(form.seed) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['synthetic'] }),
  });
  const field = (key: keyof typeof form, label: string, min: number, max: number) => (
    <div className="fr-col-12 fr-col-md-3">
      <Input label={label} nativeInputProps={{ name: key, type: 'number', min, max, required: true, value: form[key], onChange: (e) => setForm({ ...form, [key]: e.target.value }) }} />
    </div>
  );
  function submit(e: FormEvent) {
    e.preventDefault();
    generate.mutate();
  }
  return (
    <>
      <h1>{t('synthetic.title')}</h1>
      <ErrorAlert error={releases.error} />
      {releases.data?.length === 0 && <p>{t('synthetic.none')}</p>}
      {!!releases.data?.length && (
        <Table
          fixed={false}
          headers={[t('synthetic.release'), t('synthetic.created'), t('synthetic.parameters'), t('synthetic.tables')]}
          data={releases.data.map((r) => [
            `${r.name} v${r.version}`,
            formatDateTime(r.createdAt),
            r.generator ? Object.entries(r.generator.parameters).map(([k, v]) => `${k}=${String(v as string)}`).join(', ') : '',
            <span key="t">
              {r.tables.map((tb, i) => (
                <span key={tb.name}>
                  {i > 0 && ', '}
                  <Link to={catalogPaths.table(tb.name)}>{tb.name}</Link> ({tb.rows.toLocaleString()})
                </span>
              ))}
            </span>,
          ])}
        />
      )}
      <h2 className="fr-mt-4w">{t('synthetic.generate')}</h2>
      <form onSubmit={submit} aria-label={t('synthetic.generate')}>
        <div className="fr-grid-row fr-grid-row--gutters">
          {field('persons', t('synthetic.persons'), 1, 200_000)}
          {field('fromYear', t('synthetic.fromYear'), 2006, 2099)}
          {field('toYear', t('synthetic.toYear'), 2006, 2099)}
          {field('seed', t('synthetic.seed'), 0, 2 ** 31)}
        </div>
        <ErrorAlert error={generate.error} />
        {generate.data && <Alert className="fr-mb-2w" small severity="success" description={t('synthetic.done', { name: generate.data.name, version: generate.data.version })} />}
        <Button type="submit" disabled={generate.isPending} iconId="fr-icon-refresh-line">
          {generate.isPending ? t('synthetic.running') : t('synthetic.generate')}
        </Button>
      </form>
    </>
  );
}
