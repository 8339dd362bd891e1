/**
 * A reviewer's view of a request (relecture): each file's grid with the flagged cells beside its
 * check report and the project's earlier releases (what a differencing attack would combine),
 * then the vote: approve, changes requested (with a required comment) or reject; approving a
 * request with failing rules needs the reviewer's own override justification (SDC-10).
 */
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useParams } from 'react-router';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { BackLink } from '../shell/BackLink.tsx';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { FileGrid } from './FileGrid.tsx';
import { FileSection } from './FileSection.tsx';
import { EventList, VotesList } from './History.tsx';
import { useOutputRequest } from './RequestPage.tsx';
import { OutputStatusBadge } from './StatusBadge.tsx';
import { airlockApi, airlockKeys, airlockPaths, decisions, type Decision, type OutputRequestView } from './types.ts';
import './airlock.css';

export function ReviewPage() {
  const { projectId = '', rid = '' } = useParams();
  const { t, formatDateTime } = useI18n();
  const request = useOutputRequest(projectId, rid);
  if (request.error) {
    return (
      <>
        <BackLink to={airlockPaths.queue}>{t('airlock.queue.title')}</BackLink>
        <ErrorAlert error={request.error} />
      </>
    );
  }
  if (!request.data) return <p>{t('app.loading')}</p>;
  const r = request.data;
  return (
    <>
      <BackLink to={airlockPaths.queue}>{t('airlock.queue.title')}</BackLink>
      <h1>
        {r.title} <OutputStatusBadge status={r.status} id="request-status" />
      </h1>
      <p className="fr-text--lead fr-mb-2w">
        {t('airlock.request.meta', { reference: r.projectReference, author: r.createdBy.name, date: formatDateTime(r.createdAt) })}
        {r.submittedAt && ` ${t('airlock.request.submittedAt', { date: formatDateTime(r.submittedAt) })}`}
      </p>
      {r.override.requested && (
        <Alert severity="warning" className="fr-mb-3w" title={t('airlock.request.override')} description={r.override.justification ?? ''} />
      )}
      {r.files.map((f, i) => (
        <FileSection key={f.id} request={r} file={f} index={i} side aside={i === 0 ? <EarlierReleases request={r} /> : undefined} />
      ))}
      <VoteForm request={r} />
      <VotesList votes={r.votes} round={r.round} />
      <EventList events={r.events} />
    </>
  );
}

/** The project's released files before this request, newest first; each opens on its cells. */
function EarlierReleases({ request }: { request: OutputRequestView }) {
  const { t, formatDateTime } = useI18n();
  const all = useQuery({ queryKey: airlockKeys.requests(request.projectId), queryFn: () => api.get<OutputRequestView[]>(airlockApi.requests(request.projectId)) });
  const released = (all.data ?? []).filter((r) => r.id !== request.id && r.status === 'released');
  return (
    <section aria-labelledby="earlier-title" className="fr-mt-3w">
      <h4 id="earlier-title" className="fr-h6">
        {t('airlock.earlier.title')}
      </h4>
      <p className="fr-hint-text">{t('airlock.earlier.hint')}</p>
      <ErrorAlert error={all.error} />
      {all.data && released.length === 0 && <p id="earlier-none">{t('airlock.earlier.none')}</p>}
      <ul id="earlier-releases">
        {released.flatMap((r) =>
          r.files.map((f) => (
            <li key={f.id}>
              <details>
                <summary>
                  {f.name} — {r.title} ({r.releasedAt ? formatDateTime(r.releasedAt) : '—'})
                </summary>
                <p className="fr-text--sm hdh-sdc-context">{f.context}</p>
                <EarlierFile projectId={request.projectId} requestId={r.id} fileId={f.id} />
              </details>
            </li>
          )),
        )}
      </ul>
    </section>
  );
}

function EarlierFile({ projectId, requestId, fileId }: { projectId: string; requestId: string; fileId: string }) {
  const { t } = useI18n();
  const request = useOutputRequest(projectId, requestId);
  const file = request.data?.files.find((f) => f.id === fileId);
  if (request.error) return <ErrorAlert error={request.error} />;
  if (!file?.preview) return <p>{t('app.loading')}</p>;
  return <FileGrid idPrefix={`earlier-${fileId}`} preview={file.preview} report={file.report} columns={file.columns} caption={t('airlock.grid.caption', { name: file.name, version: file.version })} />;
}

function VoteForm({ request }: { request: OutputRequestView }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [decision, setDecision] = useState<Decision | null>(null);
  const [comment, setComment] = useState('');
  const [justification, setJustification] = useState('');
  const failing = request.files.some((f) => f.report.verdict === 'fail');
  const vote = useMutation({
    mutationFn: () =>
      api.post<OutputRequestView>(airlockApi.votes(request.projectId, request.id), {
        decision,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
        ...(failing && decision === 'approve' ? { overrideJustification: justification.trim() } : {}),
      }),
    onSuccess: async (next) => {
      queryClient.setQueryData(airlockKeys.request(request.projectId, request.id), next);
      await queryClient.invalidateQueries({ queryKey: airlockKeys.queue });
    },
  });
  if (!request.canVote) {
    return request.status === 'under_review' ? <p id="vote-closed">{t('airlock.vote.cannot')}</p> : null;
  }
  const needsComment = decision === 'changes_requested' || decision === 'reject';
  const needsJustification = failing && decision === 'approve';
  const ready = decision !== null && (!needsComment || comment.trim() !== '') && (!needsJustification || justification.trim().length >= 20);
  return (
    <form
      id="vote-form"
      className="hdh-sdc-file"
      onSubmit={(e) => {
        e.preventDefault();
        if (ready) vote.mutate();
      }}
    >
      <h2 className="fr-h4">{t('airlock.vote.title')}</h2>
      {failing && <Alert severity="warning" small className="fr-mb-2w" description={t('airlock.vote.failing')} />}
      <RadioButtons
        legend={t('airlock.vote.decision')}
        name="decision"
        options={decisions.map((d) => ({
          label: t(`airlock.decision.${d}`),
          hintText: t(`airlock.decisionHint.${d}`),
          nativeInputProps: { value: d, checked: decision === d, onChange: () => setDecision(d) },
        }))}
      />
      <Input
        textArea
        label={needsComment ? t('airlock.vote.commentRequired') : t('airlock.vote.comment')}
        hintText={t('airlock.vote.commentHint')}
        nativeTextAreaProps={{ id: 'vote-comment', required: needsComment, rows: 4, value: comment, onChange: (e) => setComment(e.target.value) }}
      />
      {needsJustification && (
        <Input
          textArea
          label={t('airlock.vote.override')}
          hintText={t('airlock.vote.overrideHint')}
          nativeTextAreaProps={{ id: 'vote-override', required: true, minLength: 20, rows: 4, value: justification, onChange: (e) => setJustification(e.target.value) }}
        />
      )}
      <ErrorAlert error={vote.error} />
      <Button type="submit" iconId="fr-icon-check-line" disabled={vote.isPending || !ready} id="vote-submit">
        {t('airlock.vote.submit')}
      </Button>
    </form>
  );
}
