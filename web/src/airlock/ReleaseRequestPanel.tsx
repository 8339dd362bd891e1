/**
 * "Demander la sortie de ce résultat": from a finished query of the workspace, a file of a
 * release request (demande de sortie) of the project. Step 1 picks or creates the draft request,
 * names the file, asks for its context (required: what it is, the population, how it was
 * computed) and optionally attaches the drawn chart; the server captures the result from the
 * member's session and checks it at once. Step 2 shows the column roles the server inferred, to
 * correct (a new, re-checked version), and the verdict, with the way to the request's page.
 */
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import type { ChartExporter } from '../workspaces/ResultChart.tsx';
import type { QueryView } from '../workspaces/types.ts';
import { ColumnRolesTable, sameColumns, type ModelInfo } from './ColumnRoles.tsx';
import { dataUrlToBase64 } from './images.ts';
import { VerdictBadge } from './StatusBadge.tsx';
import { airlockApi, airlockKeys, airlockPaths, editableStatuses, MIN_CONTEXT, type NewOutputFile, type OutputFileView, type OutputRequestView } from './types.ts';
import './airlock.css';

const NEW = 'new';

export function ReleaseRequestPanel({ projectId, view, chart }: { projectId: string; view: QueryView; chart: ChartExporter | null }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  if (view.status !== 'done' || !view.columns?.length) return null;
  return (
    <section className="fr-mt-3w" aria-labelledby="release-title">
      {!open ? (
        <Button
          priority="secondary"
          iconId="fr-icon-upload-2-line"
          id="request-release"
          onClick={() => {
            setOpen(true);
            // The form appears below: take the focus there, so keyboard and screen-reader users follow.
            requestAnimationFrame(() => heading.current?.focus());
          }}
        >
          {t('airlock.release.open')}
        </Button>
      ) : (
        <div className="hdh-sdc-file">
          <h3 id="release-title" className="fr-h6" tabIndex={-1} ref={heading}>
            {t('airlock.release.title')}
          </h3>
          {view.truncated && <Alert severity="warning" small className="fr-mb-2w" description={t('airlock.release.truncated')} />}
          <ReleaseForm projectId={projectId} view={view} chart={chart} onCancel={() => setOpen(false)} />
        </div>
      )}
    </section>
  );
}

function ReleaseForm({ projectId, view, chart, onCancel }: { projectId: string; view: QueryView; chart: ChartExporter | null; onCancel: () => void }) {
  const { t, formatDateTime } = useI18n();
  const queryClient = useQueryClient();
  const uid = useId();
  const requests = useQuery({ queryKey: airlockKeys.requests(projectId), queryFn: () => api.get<OutputRequestView[]>(airlockApi.requests(projectId)) });
  const drafts = (requests.data ?? []).filter((r) => r.canEdit && editableStatuses.includes(r.status));
  const [target, setTarget] = useState<string | null>(null);
  const chosen = target ?? drafts[0]?.id ?? NEW;
  const [title, setTitle] = useState('');
  const [name, setName] = useState('resultat.csv');
  const [context, setContext] = useState('');
  const [attach, setAttach] = useState<'none' | 'svg' | 'png'>('none');
  const [created, setCreated] = useState<{ request: string; file: OutputFileView } | null>(null);

  const create = useMutation({
    mutationFn: async () => {
      const requestId = chosen === NEW ? (await api.post<OutputRequestView>(airlockApi.requests(projectId), { title: title.trim() })).id : chosen;
      const body: NewOutputFile = { name: name.trim(), context: context.trim(), source: { kind: 'query', queryId: view.id } };
      if (attach !== 'none' && chart) {
        const base = name.trim().replace(/\.[^.]+$/, '') || 'graphique';
        body.attachments = [{ name: `${base}.${attach}`, mediaType: attach === 'svg' ? 'image/svg+xml' : 'image/png', contentBase64: dataUrlToBase64(chart(attach)) }];
      }
      const file = await api.post<OutputFileView>(airlockApi.files(projectId, requestId), body);
      return { request: requestId, file };
    },
    onSuccess: async (result) => {
      setCreated(result);
      await queryClient.invalidateQueries({ queryKey: airlockKeys.requests(projectId) });
    },
  });

  if (created) return <CreatedFile projectId={projectId} requestId={created.request} file={created.file} onDone={onCancel} />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  const contextShort = context.trim().length > 0 && context.trim().length < MIN_CONTEXT;
  return (
    <form onSubmit={submit} id="release-form">
      <ErrorAlert error={requests.error} />
      <RadioButtons
        legend={t('airlock.release.request')}
        name={`${uid}-request`}
        options={[
          ...drafts.map((r) => ({
            label: r.title,
            hintText: t('airlock.release.requestHint', { status: t(`airlock.status.${r.status}`), files: r.files.length, date: formatDateTime(r.createdAt) }),
            nativeInputProps: { value: r.id, checked: chosen === r.id, onChange: () => setTarget(r.id) },
          })),
          { label: t('airlock.release.newRequest'), nativeInputProps: { value: NEW, checked: chosen === NEW, onChange: () => setTarget(NEW) } },
        ]}
      />
      {chosen === NEW && (
        <Input
          label={t('airlock.release.requestTitle')}
          hintText={t('airlock.release.requestTitleHint')}
          nativeInputProps={{ id: 'release-title-input', required: true, maxLength: 200, value: title, onChange: (e) => setTitle(e.target.value) }}
        />
      )}
      <Input
        label={t('airlock.release.fileName')}
        hintText={t('airlock.release.fileNameHint')}
        nativeInputProps={{ id: 'release-file-name', required: true, maxLength: 200, value: name, onChange: (e) => setName(e.target.value) }}
      />
      <Input
        textArea
        label={t('airlock.release.context')}
        hintText={t('airlock.release.contextHint', { min: MIN_CONTEXT })}
        state={contextShort ? 'error' : 'default'}
        stateRelatedMessage={contextShort ? t('airlock.release.contextShort', { min: MIN_CONTEXT }) : undefined}
        nativeTextAreaProps={{ id: 'release-context', required: true, minLength: MIN_CONTEXT, rows: 5, value: context, onChange: (e) => setContext(e.target.value) }}
      />
      {chart && (
        <RadioButtons
          legend={t('airlock.release.chart')}
          hintText={t('airlock.release.chartHint')}
          name={`${uid}-chart`}
          orientation="horizontal"
          options={(['none', 'svg', 'png'] as const).map((k) => ({
            label: t(`airlock.release.chart.${k}`),
            nativeInputProps: { value: k, checked: attach === k, onChange: () => setAttach(k) },
          }))}
        />
      )}
      <ErrorAlert error={create.error} />
      <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
        <li>
          <Button type="submit" iconId="fr-icon-send-plane-line" disabled={create.isPending || context.trim().length < MIN_CONTEXT || (chosen === NEW && title.trim() === '')} id="release-submit">
            {t('airlock.release.add')}
          </Button>
        </li>
        <li>
          <Button type="button" priority="tertiary" onClick={onCancel}>
            {t('airlock.cancel')}
          </Button>
        </li>
      </ul>
    </form>
  );
}

/** Step 2: the inferred roles, to confirm or correct, and the first verdict. */
function CreatedFile({ projectId, requestId, file: initial, onDone }: { projectId: string; requestId: string; file: OutputFileView; onDone: () => void }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [file, setFile] = useState(initial);
  const [columns, setColumns] = useState(initial.columns);
  const [model, setModel] = useState<ModelInfo | null>(initial.model ?? null);
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: () => api.patch<OutputFileView>(airlockApi.file(projectId, requestId, file.id), { columns, ...(model ? { model } : {}) }),
    onSuccess: async (next) => {
      setFile(next);
      setColumns(next.columns);
      setSaved(true);
      await queryClient.invalidateQueries({ queryKey: airlockKeys.request(projectId, requestId) });
    },
  });
  const failing = file.report.findings.filter((f) => f.verdict === 'fail').length;
  return (
    <div id="release-created">
      <Alert
        severity={file.report.verdict === 'pass' ? 'success' : file.report.verdict === 'review' ? 'warning' : 'error'}
        small
        className="fr-mb-2w"
        description={
          <>
            {t('airlock.release.created', { name: file.name, version: file.version })} <VerdictBadge verdict={file.report.verdict} />{' '}
            {failing > 0 && t('airlock.release.failing', { n: failing })}
          </>
        }
      />
      <p className="fr-text--sm">{t('airlock.release.rolesIntro')}</p>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          save.mutate();
        }}
      >
        <ColumnRolesTable idPrefix="release" columns={columns} onChange={setColumns} model={model} onModelChange={setModel} />
        <ErrorAlert error={save.error} />
        {saved && (
          <p className="fr-message fr-message--valid" id="release-roles-saved">
            {t('airlock.roles.saved', { version: file.version })}
          </p>
        )}
        <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
          <li>
            <Button type="submit" priority="secondary" disabled={save.isPending || (sameColumns(columns, file.columns) && !model)} id="release-save-roles">
              {t('airlock.roles.save')}
            </Button>
          </li>
          <li>
            <Button iconId="fr-icon-arrow-right-line" linkProps={{ to: airlockPaths.request(projectId, requestId), id: 'release-open-request' }}>
              {t('airlock.release.openRequest')}
            </Button>
          </li>
          <li>
            <Button type="button" priority="tertiary" onClick={onDone}>
              {t('airlock.release.close')}
            </Button>
          </li>
        </ul>
      </form>
      <p className="fr-text--sm">
        <Link to={airlockPaths.requests(projectId)}>{t('airlock.requests.all')}</Link>
      </p>
    </div>
  );
}
