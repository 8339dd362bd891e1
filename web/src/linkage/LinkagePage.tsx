/**
 * Hub staff: the linkage runs, and the two ways to start one — probabilistic (upload a reference
 * file with NIR and a source file without, then run) and deterministic (two lake tables joined
 * on their pseudonym). The list refreshes itself while a run is queued or running.
 */
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Select } from '@codegouvfr/react-dsfr/Select';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { api } from '../api.ts';
import { useI18n, type MessageKey } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { linkagePaths, type LakeRelease, type RunStatus, type RunSummary, type RunView, type UploadView } from './types.ts';

const statusSeverity: Record<RunStatus, 'info' | 'success' | 'error' | 'new'> = { queued: 'new', running: 'info', succeeded: 'success', failed: 'error' };

export function StatusBadge({ status }: { status: RunStatus }) {
  const { t } = useI18n();
  return (
    <Badge small severity={statusSeverity[status]} noIcon>
      {t(`linkage.status.${status}` as MessageKey)}
    </Badge>
  );
}

export function LinkagePage() {
  const { t, formatDateTime } = useI18n();
  const runs = useQuery({
    queryKey: ['linkage', 'runs'],
    queryFn: () => api.get<RunSummary[]>('/api/admin/linkage/runs'),
    refetchInterval: (q) => (q.state.data?.some((r) => r.status === 'queued' || r.status === 'running') ? 2000 : false),
  });
  return (
    <>
      <h1>{t('linkage.title')}</h1>
      <p>{t('linkage.lead')}</p>
      <h2>{t('linkage.runs')}</h2>
      <ErrorAlert error={runs.error} />
      {runs.data?.length === 0 && <p>{t('linkage.none')}</p>}
      {!!runs.data?.length && (
        <Table
          fixed={false}
          headers={[t('linkage.when'), t('linkage.kind'), t('linkage.what'), t('linkage.status'), t('linkage.links'), t('linkage.matchRate'), t('linkage.by')]}
          data={runs.data.map((r) => [
            <Link key="w" to={linkagePaths.run(r.id)} title={t('linkage.open')}>
              {formatDateTime(r.createdAt)}
            </Link>,
            t(`linkage.kind.${r.kind}` as MessageKey),
            r.description,
            <StatusBadge key="s" status={r.status} />,
            r.links?.toLocaleString() ?? '',
            r.matchRate === null ? '' : `${(100 * r.matchRate).toFixed(1)} %`,
            r.startedBy,
          ])}
        />
      )}
      <ProbabilisticForm />
      <DeterministicForm />
    </>
  );
}

function ProbabilisticForm() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [files, setFiles] = useState<{ reference: File | null; source: File | null }>({ reference: null, source: null });
  const [form, setForm] = useState({ output: 'linkage-registre', threshold: '0.5', uEstimation: 'random_pairs', termFrequency: true });
  const start = useMutation({
    mutationFn: async () => {
      const upload = (file: File) => {
        const body = new FormData();
        body.append('file', file, file.name);
        return api.upload<UploadView>('/api/admin/linkage/uploads', body);
      };
      const reference = await upload(files.reference!);
      const source = await upload(files.source!);
      return api.post<RunView>('/api/admin/linkage/runs', {
        kind: 'probabilistic',
        output: form.output.trim(),
        reference: { upload: reference.id },
        source: { upload: source.id },
        settings: { threshold: Number(form.threshold), uEstimation: form.uEstimation, termFrequency: form.termFrequency },
      });
    },
    onSuccess: async (run) => {
      await queryClient.invalidateQueries({ queryKey: ['linkage'] });
      void navigate(linkagePaths.run(run.id));
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    if (files.reference && files.source) start.mutate();
  }
  const fileInput = (key: 'reference' | 'source', label: string) => (
    <div className="fr-upload-group fr-mb-3w">
      <label className="fr-label" htmlFor={`linkage-${key}`}>
        {label}
      </label>
      <input className="fr-upload" type="file" id={`linkage-${key}`} name={key} accept=".csv,.txt,.parquet" required onChange={(e) => setFiles({ ...files, [key]: e.target.files?.[0] ?? null })} />
    </div>
  );
  return (
    <section className="fr-mt-6w">
      <h2>{t('linkage.probabilistic')}</h2>
      <p>{t('linkage.probabilisticHelp')}</p>
      <form onSubmit={submit} aria-label={t('linkage.probabilistic')}>
        {fileInput('reference', t('linkage.referenceFile'))}
        {fileInput('source', t('linkage.sourceFile'))}
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-5">
            <Input label={t('linkage.output')} hintText={t('linkage.outputHint')} nativeInputProps={{ name: 'output', required: true, pattern: '[a-z0-9][a-z0-9\\-]{0,62}', value: form.output, onChange: (e) => setForm({ ...form, output: e.target.value }) }} />
          </div>
          <div className="fr-col-12 fr-col-md-3">
            <Input label={t('linkage.threshold')} nativeInputProps={{ name: 'threshold', type: 'number', min: 0.01, max: 0.999, step: 0.01, required: true, value: form.threshold, onChange: (e) => setForm({ ...form, threshold: e.target.value }) }} />
          </div>
          <div className="fr-col-12 fr-col-md-4">
            <Select label={t('linkage.uEstimation')} nativeSelectProps={{ name: 'uEstimation', value: form.uEstimation, onChange: (e) => setForm({ ...form, uEstimation: e.target.value }) }}>
              <option value="random_pairs">{t('linkage.u.random_pairs')}</option>
              <option value="em">{t('linkage.u.em')}</option>
            </Select>
          </div>
        </div>
        <Checkbox options={[{ label: t('linkage.termFrequency'), nativeInputProps: { name: 'termFrequency', checked: form.termFrequency, onChange: (e) => setForm({ ...form, termFrequency: e.target.checked }) } }]} />
        <ErrorAlert error={start.error} />
        <Button type="submit" iconId="fr-icon-links-line" disabled={!files.reference || !files.source || start.isPending}>
          {start.isPending ? t('linkage.uploading') : t('linkage.start')}
        </Button>
      </form>
    </section>
  );
}

interface SideForm {
  release: string;
  table: string;
  column: string;
}

function DeterministicForm() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const releases = useQuery({ queryKey: ['linkage', 'lake-tables'], queryFn: () => api.get<LakeRelease[]>('/api/admin/linkage/lake-tables') });
  const empty: SideForm = { release: '', table: '', column: 'BEN_NIR_PSA' };
  const [sides, setSides] = useState<{ left: SideForm; right: SideForm }>({ left: empty, right: empty });
  const start = useMutation({
    mutationFn: () => {
      const side = (s: SideForm) => {
        const [name, version] = s.release.split('@');
        return { release: name, version: Number(version), table: s.table, column: s.column.trim() };
      };
      return api.post<RunView>('/api/admin/linkage/runs', { kind: 'deterministic', left: side(sides.left), right: side(sides.right) });
    },
    onSuccess: async (run) => {
      await queryClient.invalidateQueries({ queryKey: ['linkage'] });
      void navigate(linkagePaths.run(run.id));
    },
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    start.mutate();
  }
  const sideFields = (key: 'left' | 'right', legend: string) => {
    const s = sides[key];
    const release = releases.data?.find((r) => `${r.name}@${r.version}` === s.release);
    const set = (patch: Partial<SideForm>) => setSides({ ...sides, [key]: { ...s, ...patch } });
    return (
      <fieldset className="fr-fieldset fr-col-12 fr-col-md-6">
        <legend className="fr-fieldset__legend">{legend}</legend>
        <Select label={t('linkage.lakeRelease')} nativeSelectProps={{ name: `${key}-release`, required: true, value: s.release, onChange: (e) => set({ release: e.target.value, table: '' }) }}>
          <option value="">{t('linkage.choose')}</option>
          {releases.data?.map((r) => (
            <option key={`${r.name}@${r.version}`} value={`${r.name}@${r.version}`}>
              {r.name} v{r.version}
            </option>
          ))}
        </Select>
        <Select label={t('linkage.table')} nativeSelectProps={{ name: `${key}-table`, required: true, value: s.table, onChange: (e) => set({ table: e.target.value }) }}>
          <option value="">{t('linkage.choose')}</option>
          {release?.tables.map((tb) => (
            <option key={tb.name} value={tb.name}>
              {tb.name} ({tb.rows.toLocaleString()})
            </option>
          ))}
        </Select>
        <Input label={t('linkage.column')} nativeInputProps={{ name: `${key}-column`, required: true, value: s.column, onChange: (e) => set({ column: e.target.value }) }} />
      </fieldset>
    );
  };
  return (
    <section className="fr-mt-6w">
      <h2>{t('linkage.deterministic')}</h2>
      <p>{t('linkage.deterministicHelp')}</p>
      <ErrorAlert error={releases.error} />
      <form onSubmit={submit} aria-label={t('linkage.deterministic')}>
        <div className="fr-grid-row fr-grid-row--gutters">
          {sideFields('left', t('linkage.left'))}
          {sideFields('right', t('linkage.right'))}
        </div>
        <ErrorAlert error={start.error} />
        <Button type="submit" iconId="fr-icon-links-line" disabled={start.isPending}>
          {t('linkage.start')}
        </Button>
      </form>
    </section>
  );
}
