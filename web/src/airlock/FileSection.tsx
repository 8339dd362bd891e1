/**
 * One file of a release request: its context and roles, the grid with the flagged cells, the
 * check report (rules and readable text), its versions (a fix or an edit makes a new one), and
 * for the author while the request is editable: the proposed fixes (suppression, rounding), the
 * edit of context and roles, the removal. Released files show their fingerprint and, to the
 * project's members, the download. `side`: the reviewer's layout, grid beside the report.
 */
import { Accordion } from '@codegouvfr/react-dsfr/Accordion';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { ColumnRolesTable, sameColumns, type ModelInfo } from './ColumnRoles.tsx';
import { FileGrid } from './FileGrid.tsx';
import { ReadableReport } from './Report.tsx';
import { VerdictBadge } from './StatusBadge.tsx';
import { airlockApi, airlockKeys, MIN_CONTEXT, type FileVersionView, type OutputFileView, type OutputRequestView } from './types.ts';

export function FileSection({ request, file, index, side = false, aside }: { request: OutputRequestView; file: OutputFileView; index: number; side?: boolean; aside?: ReactNode }) {
  const { t, formatDateTime } = useI18n();
  const [version, setVersion] = useState(file.version);
  // A fix or an edit moves the file to a new version: follow it.
  const [seen, setSeen] = useState(file.version);
  if (seen !== file.version) {
    setSeen(file.version);
    setVersion(file.version);
  }
  const current = version === file.version;
  const earlier = useQuery({
    queryKey: ['airlock', 'version', request.projectId, request.id, file.id, version],
    queryFn: () => api.get<FileVersionView>(airlockApi.version(request.projectId, request.id, file.id, version)),
    enabled: !current,
    staleTime: Infinity,
  });
  const shown: FileVersionView | null = current ? (file.preview ? { preview: file.preview, report: file.report, readable: file.readable, columns: file.columns } : null) : (earlier.data ?? null);
  const prefix = `file-${index}`;
  const versionNote = file.versions.find((v) => v.version === version);

  const grid = shown && (
    <FileGrid idPrefix={prefix} preview={shown.preview} report={shown.report} columns={shown.columns ?? file.columns} caption={t('airlock.grid.caption', { name: file.name, version })} />
  );
  const report = shown && (
    <section aria-label={t('airlock.report.title')}>
      <ReadableReport readable={shown.readable} id={`${prefix}-readable`} />
    </section>
  );

  return (
    <section className="hdh-sdc-file" aria-labelledby={`${prefix}-title`} data-file={file.name} id={prefix}>
      <h3 id={`${prefix}-title`} className="fr-h5">
        {file.name} <VerdictBadge verdict={(shown?.report ?? file.report).verdict} />{' '}
        <span className="fr-text--sm fr-text--regular">{t('airlock.file.version', { version })}</span>
      </h3>
      <p className="fr-text--sm fr-mb-1w">
        {t(`airlock.file.kind.${file.kind}`)} — {t(`airlock.file.source.${file.source.kind}`)}
        {file.source.table ? ` ${file.source.table}` : ''}
      </p>
      {file.source.sql && (
        <details className="fr-mb-2w">
          <summary className="fr-text--sm">{t('airlock.file.sql')}</summary>
          <pre className="fr-text--xs">
            <code>{file.source.sql}</code>
          </pre>
        </details>
      )}
      <h4 className="fr-h6 fr-mb-1w">{t('airlock.file.context')}</h4>
      <p className="hdh-sdc-context" data-testid="file-context">
        {file.context}
      </p>
      {file.model && <p className="fr-text--sm">{t('airlock.model.summary', { observations: file.model.observations, parameters: file.model.parameters, df: file.model.observations - file.model.parameters })}</p>}

      {file.versions.length > 1 && (
        <div className="fr-select-group">
          <label className="fr-label" htmlFor={`${prefix}-version`}>
            {t('airlock.file.versions')}
          </label>
          <select className="fr-select" id={`${prefix}-version`} value={version} onChange={(e) => setVersion(Number(e.target.value))}>
            {[...file.versions].reverse().map((v) => (
              <option key={v.version} value={v.version}>
                {t('airlock.file.versionOption', { version: v.version, date: formatDateTime(v.createdAt), note: v.note })}
                {v.verdict ? ` — ${t(`airlock.verdict.${v.verdict}`)}` : ''}
              </option>
            ))}
          </select>
          {!current && versionNote && <p className="fr-hint-text">{t('airlock.file.earlierVersion')}</p>}
        </div>
      )}
      <ErrorAlert error={earlier.error} />
      {!shown && !earlier.error && <p>{t('app.loading')}</p>}

      {side ? (
        <div className="fr-grid-row fr-grid-row--gutters hdh-sdc-side-by-side">
          <div className="fr-col-12 fr-col-lg-7">{grid}</div>
          <div className="fr-col-12 fr-col-lg-5">
            {report}
            {aside}
          </div>
        </div>
      ) : (
        <>
          {grid}
          {report}
        </>
      )}

      <Attachments request={request} file={file} />
      {file.sha256 && (
        <p className="fr-text--sm" data-testid="file-sha256">
          {t('airlock.file.released', { size: file.size ?? 0 })} <code>{file.sha256}</code>
          {file.published && ` — ${t('airlock.file.published')}`}
        </p>
      )}
      {file.releasedVersion && file.releasedVersion !== version && <p className="fr-text--sm">{t('airlock.file.releasedVersion', { version: file.releasedVersion })}</p>}
      {request.canDownload && file.sha256 && (
        <Button
          iconId="fr-icon-download-line"
          priority="secondary"
          linkProps={{ to: airlockApi.download(request.projectId, request.id, file.id), reloadDocument: true, download: file.name, id: `${prefix}-download` }}
        >
          {t('airlock.file.download', { name: file.name })}
        </Button>
      )}
      {request.canEdit && current && <FileFixes request={request} file={file} prefix={prefix} />}
      {request.canEdit && <FileEdit key={file.version} request={request} file={file} prefix={prefix} />}
    </section>
  );
}

function Attachments({ request, file }: { request: OutputRequestView; file: OutputFileView }) {
  const { t } = useI18n();
  if (file.attachments.length === 0) return null;
  return (
    <>
      <h4 className="fr-h6">{t('airlock.file.attachments')}</h4>
      <ul>
        {file.attachments.map((a) => {
          const url = airlockApi.attachment(request.projectId, request.id, file.id, a.id);
          return (
            <li key={a.id}>
              {request.canDownload && file.sha256 ? (
                <>
                  <a href={url} download={a.name}>
                    {a.name}
                  </a>{' '}
                  ({a.mediaType}, {t('airlock.file.bytes', { n: a.size })})
                  <br />
                  <img src={url} alt={t('airlock.file.chartAlt', { name: file.name })} className="hdh-sdc-chart-preview" />
                </>
              ) : (
                <>
                  {a.name} ({a.mediaType}, {t('airlock.file.bytes', { n: a.size })}) — {t('airlock.file.attachmentAfterRelease')}
                  <br />
                  {/* Shown to the team and the reviewers while the request is examined (a view, not a download). */}
                  <img src={airlockApi.attachmentView(request.projectId, request.id, file.id, a.id)} alt={t('airlock.file.chartAlt', { name: file.name })} className="hdh-sdc-chart-preview" />
                </>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}

/** The proposed fixes: primary and secondary suppression of the failing cells, rounding of counts to a base. */
function FileFixes({ request, file, prefix }: { request: OutputRequestView; file: OutputFileView; prefix: string }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [base, setBase] = useState(String(file.report.settings.roundingBase ?? 5));
  const [done, setDone] = useState<string | null>(null);
  const fix = useMutation({
    mutationFn: (body: { suppress: boolean; roundingBase?: number }) => api.post<OutputFileView>(airlockApi.fix(request.projectId, request.id, file.id), body),
    onSuccess: async (next, body) => {
      setDone(body.suppress ? t('airlock.fix.suppressed', { version: next.version }) : t('airlock.fix.rounded', { version: next.version, base: body.roundingBase ?? '' }));
      await queryClient.invalidateQueries({ queryKey: airlockKeys.request(request.projectId, request.id) });
      await queryClient.invalidateQueries({ queryKey: airlockKeys.requests(request.projectId) });
    },
  });
  const flagged = file.report.findings.length > 0;
  const baseNumber = Number(base);
  return (
    <div className="fr-mt-3w" aria-labelledby={`${prefix}-fix-title`} role="group">
      <h4 className="fr-h6" id={`${prefix}-fix-title`}>
        {t('airlock.fix.title')}
      </h4>
      <p className="fr-text--sm">{t('airlock.fix.hint')}</p>
      <div className="hdh-sdc-actions">
        <Button iconId="fr-icon-eye-off-line" disabled={fix.isPending || !flagged} onClick={() => fix.mutate({ suppress: true })} id={`${prefix}-suppress`}>
          {t('airlock.fix.suppress')}
        </Button>
        <form
          className="hdh-sdc-actions"
          onSubmit={(e) => {
            e.preventDefault();
            fix.mutate({ suppress: false, roundingBase: baseNumber });
          }}
        >
          <Input label={t('airlock.fix.base')} nativeInputProps={{ id: `${prefix}-rounding-base`, type: 'number', min: 2, max: 1000, step: 1, required: true, value: base, onChange: (e) => setBase(e.target.value) }} />
          <Button type="submit" priority="secondary" disabled={fix.isPending || !(baseNumber >= 2)} id={`${prefix}-round`}>
            {t('airlock.fix.round', { base: baseNumber >= 2 ? baseNumber : '…' })}
          </Button>
        </form>
      </div>
      <ErrorAlert error={fix.error} />
      {done && (
        <p className="fr-message fr-message--valid" role="status" id={`${prefix}-fixed`}>
          {done}
        </p>
      )}
    </div>
  );
}

/** Context, name, roles and model: a PATCH makes a new version, checked again. */
function FileEdit({ request, file, prefix }: { request: OutputRequestView; file: OutputFileView; prefix: string }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [name, setName] = useState(file.name);
  const [context, setContext] = useState(file.context);
  const [columns, setColumns] = useState(file.columns);
  const [model, setModel] = useState<ModelInfo | null>(file.model ?? null);
  const invalidate = async () => {
    await queryClient.invalidateQueries({ queryKey: airlockKeys.request(request.projectId, request.id) });
    await queryClient.invalidateQueries({ queryKey: airlockKeys.requests(request.projectId) });
  };
  const save = useMutation({
    mutationFn: () =>
      api.patch<OutputFileView>(airlockApi.file(request.projectId, request.id, file.id), {
        ...(name.trim() !== file.name ? { name: name.trim() } : {}),
        ...(context.trim() !== file.context ? { context: context.trim() } : {}),
        ...(!sameColumns(columns, file.columns) ? { columns } : {}),
        ...(model && (model.observations !== file.model?.observations || model.parameters !== file.model?.parameters) ? { model } : {}),
      }),
    onSuccess: invalidate,
  });
  const remove = useMutation({ mutationFn: () => api.delete<void>(airlockApi.file(request.projectId, request.id, file.id)), onSuccess: invalidate });
  const changed = name.trim() !== file.name || context.trim() !== file.context || !sameColumns(columns, file.columns) || (model !== null && (model.observations !== file.model?.observations || model.parameters !== file.model?.parameters));
  return (
    <Accordion label={t('airlock.edit.title')} className="fr-mt-3w" titleAs="h4" id={`${prefix}-edit`}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Input label={t('airlock.release.fileName')} nativeInputProps={{ id: `${prefix}-name`, required: true, maxLength: 200, value: name, onChange: (e) => setName(e.target.value) }} />
        <Input
          textArea
          label={t('airlock.release.context')}
          hintText={t('airlock.release.contextHint', { min: MIN_CONTEXT })}
          nativeTextAreaProps={{ id: `${prefix}-context`, required: true, minLength: MIN_CONTEXT, rows: 5, value: context, onChange: (e) => setContext(e.target.value) }}
        />
        <ColumnRolesTable idPrefix={`${prefix}-edit`} columns={columns} onChange={setColumns} model={model} onModelChange={setModel} />
        <ErrorAlert error={save.error ?? remove.error} />
        <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left">
          <li>
            <Button type="submit" disabled={save.isPending || !changed || context.trim().length < MIN_CONTEXT} id={`${prefix}-save`}>
              {t('airlock.edit.save')}
            </Button>
          </li>
          <li>
            <Button
              type="button"
              priority="tertiary"
              iconId="fr-icon-delete-line"
              disabled={remove.isPending}
              onClick={() => {
                if (window.confirm(t('airlock.edit.confirmRemove', { name: file.name }))) remove.mutate();
              }}
            >
              {t('airlock.edit.remove')}
            </Button>
          </li>
        </ul>
      </form>
    </Accordion>
  );
}
