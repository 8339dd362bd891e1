/**
 * One load: its phases while the hub validates (polled every second), then the validation
 * report and what the producer can do with it — publish it as a new immutable release of the
 * table (after a confirmation), discard it, download the quarantined rows.
 */
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { createModal } from '@codegouvfr/react-dsfr/Modal';
import { Stepper } from '@codegouvfr/react-dsfr/Stepper';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api } from '../api.ts';
import { catalogPaths } from '../catalog/links.ts';
import { useI18n } from '../i18n.ts';
import { BackLink } from '../shell/BackLink.tsx';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { formatBytes, formatCount } from './format.ts';
import { ReportView, Verdict } from './Report.tsx';
import { StatusBadge } from './StatusBadge.tsx';
import { ingestPaths, phases, type Load } from './types.ts';
import './ingest.css';

const publishModal = createModal({ id: 'ingest-publish-confirm', isOpenedByDefault: false });
const discardModal = createModal({ id: 'ingest-discard-confirm', isOpenedByDefault: false });

export function LoadPage() {
  const { id = '' } = useParams();
  const { t, lang, formatDateTime } = useI18n();
  const queryClient = useQueryClient();
  const load = useQuery({
    queryKey: ['ingest', 'load', id],
    queryFn: () => api.get<Load>(`/api/ingest/loads/${encodeURIComponent(id)}`),
    refetchInterval: (q) => (q.state.data?.status === 'validating' ? 1000 : false),
  });
  const settle = (next: Load) => {
    queryClient.setQueryData(['ingest', 'load', id], next);
    void queryClient.invalidateQueries({ queryKey: ['ingest', 'loads'] });
  };
  const publish = useMutation({ mutationFn: () => api.post<Load>(`/api/ingest/loads/${encodeURIComponent(id)}/publish`), onSuccess: settle });
  const discard = useMutation({ mutationFn: () => api.post<Load>(`/api/ingest/loads/${encodeURIComponent(id)}/discard`), onSuccess: settle });

  if (load.error) return <ErrorAlert error={load.error} />;
  if (!load.data) return <p>{t('app.loading')}</p>;
  const l = load.data;
  const report = l.report;
  const canDiscard = l.status === 'validated' || l.status === 'rejected' || l.status === 'failed';
  return (
    <>
      <BackLink to={ingestPaths.history}>{t('ingest.historyLink')}</BackLink>
      <h1>{t('ingest.loadTitle', { table: l.table })}</h1>
      <p className="fr-mb-3w">
        <StatusBadge status={l.status} />
      </p>
      <dl className="hdh-facts fr-mb-4w">
        <div><dt>{t('ingest.table')}</dt><dd><Link to={catalogPaths.table(l.table)}>{l.table}</Link></dd></div>
        <div><dt>{t('ingest.file')}</dt><dd>{l.fileName} ({formatBytes(l.fileBytes, lang)})</dd></div>
        <div><dt>{t('ingest.policy')}</dt><dd>{t(`ingest.policy.${l.policy}`)}</dd></div>
        <div><dt>{t('ingest.mode')}</dt><dd>{t(`ingest.mode.${l.mode}`)}</dd></div>
        <div><dt>{t('ingest.startedBy')}</dt><dd>{l.createdBy}, {formatDateTime(l.startedAt)}</dd></div>
        {l.finishedAt && <div><dt>{t('ingest.finishedAt')}</dt><dd>{formatDateTime(l.finishedAt)}</dd></div>}
      </dl>

      {l.status === 'validating' && <Progress load={l} />}
      {l.status === 'failed' && <Alert className="fr-mb-3w" severity="error" title={t('ingest.failedTitle')} description={t('ingest.failed', { error: l.error ?? '—' })} />}
      {l.status === 'discarded' && <Alert className="fr-mb-3w" severity="info" small description={t('ingest.discarded')} />}
      {l.status === 'published' && l.release && (
        <Alert
          className="fr-mb-3w"
          severity="success"
          title={t('ingest.publishedTitle')}
          description={
            <span id="ingest-release">
              {t('ingest.published', { name: l.release.name, version: l.release.version, rows: formatCount(l.rowsValid ?? 0, lang), date: l.publishedAt ? formatDateTime(l.publishedAt) : '' })}
            </span>
          }
        />
      )}
      {report && <Verdict load={l} report={report} />}

      {l.status === 'rejected' && <p id="ingest-not-publishable">{t('ingest.notPublishable')}</p>}
      <ErrorAlert error={publish.error ?? discard.error} />
      {(l.status === 'validated' || canDiscard || l.hasQuarantine) && (
        <ul className="fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left fr-mb-4w">
          {l.status === 'validated' && (
            <li>
              <Button iconId="fr-icon-send-plane-line" disabled={publish.isPending} nativeButtonProps={publishModal.buttonProps}>{t('ingest.publish')}</Button>
            </li>
          )}
          {canDiscard && (
            <li>
              <Button priority="secondary" iconId="fr-icon-delete-bin-line" disabled={discard.isPending} nativeButtonProps={discardModal.buttonProps}>{t('ingest.discard')}</Button>
            </li>
          )}
          {l.hasQuarantine && (
            <li>
              <Button priority="tertiary" iconId="fr-icon-download-line" linkProps={{ to: ingestPaths.quarantine(l.id), reloadDocument: true, download: true }}>
                {t('ingest.quarantineDownload', { n: formatCount(l.rowsRejected ?? 0, lang) })}
              </Button>
            </li>
          )}
        </ul>
      )}

      {report && <ReportView load={l} report={report} />}

      <publishModal.Component
        title={t('ingest.publishConfirmTitle')}
        buttons={[{ children: t('ingest.cancel') }, { children: t('ingest.publishConfirm'), iconId: 'fr-icon-send-plane-line', onClick: () => publish.mutate() }]}
      >
        <p>{t('ingest.publishConfirmText', { table: l.table, rows: formatCount(l.rowsValid ?? 0, lang) })}</p>
        <p>{t(l.mode === 'append' ? 'ingest.publishConfirmAppend' : 'ingest.publishConfirmReplace')}</p>
      </publishModal.Component>
      <discardModal.Component
        title={t('ingest.discardConfirmTitle')}
        buttons={[{ children: t('ingest.cancel') }, { children: t('ingest.discardConfirm'), iconId: 'fr-icon-delete-bin-line', onClick: () => discard.mutate() }]}
      >
        <p>{t('ingest.discardConfirmText')}</p>
      </discardModal.Component>
    </>
  );
}

/** The pipeline's phases as a DSFR stepper, with counts when the phase gives them. */
function Progress({ load }: { load: Load }) {
  const { t, lang } = useI18n();
  const reached = load.progress?.phase ?? 'queued';
  const index = reached === 'done' ? phases.length - 1 : Math.max(0, phases.findIndex((p) => p === reached));
  const phase = phases[index]!;
  const next = phases[index + 1];
  const { done, total } = load.progress ?? {};
  return (
    <div className="fr-mb-4w" id="ingest-validating" aria-live="polite">
      <Stepper currentStep={index + 1} stepCount={phases.length} title={t(`ingest.phase.${phase}`)} {...(next ? { nextTitle: t(`ingest.phase.${next}`) } : {})} />
      {total !== undefined && total > 0 && (
        <>
          <progress className="hdh-ingest-phase-progress" max={total} value={done ?? 0} aria-label={t(`ingest.phase.${phase}`)} />
          <p className="fr-text--sm">{t('ingest.phaseCount', { done: formatCount(done ?? 0, lang), total: formatCount(total, lang) })}</p>
        </>
      )}
    </div>
  );
}
