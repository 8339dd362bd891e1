/**
 * What the caller may do with a request as a whole: submit it (a quarantined one only with a
 * written override justification, which two reviewers must accept), withdraw it, and — the
 * project's lead, once released — publish its files to the public registry entry.
 */
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { airlockApi, airlockKeys, editableStatuses, type OutputRequestView } from './types.ts';

function useRequestMutation<B>(request: OutputRequestView, url: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: B) => api.post<OutputRequestView>(url, body),
    onSuccess: async (next) => {
      queryClient.setQueryData(airlockKeys.request(request.projectId, request.id), next);
      await queryClient.invalidateQueries({ queryKey: airlockKeys.requests(request.projectId) });
      await queryClient.invalidateQueries({ queryKey: ['registry'] });
    },
  });
}

export function RequestActions({ request }: { request: OutputRequestView }) {
  const { t } = useI18n();
  const [justification, setJustification] = useState('');
  const submit = useRequestMutation<{ overrideJustification?: string }>(request, airlockApi.submit(request.projectId, request.id));
  const withdraw = useRequestMutation<undefined>(request, airlockApi.withdraw(request.projectId, request.id));
  const quarantined = request.status === 'quarantined';
  const failing = request.files.some((f) => f.report.verdict === 'fail');
  const canWithdraw = request.canEdit && editableStatuses.includes(request.status);
  if (!request.canSubmit && !canWithdraw) return null;

  return (
    <section aria-labelledby="actions-title" className="fr-mb-4w">
      <h2 id="actions-title" className="fr-h4">
        {t('airlock.actions.title')}
      </h2>
      {!quarantined && failing && request.canSubmit && <Alert severity="warning" small className="fr-mb-2w" description={t('airlock.actions.willQuarantine')} />}
      {request.files.length === 0 && <p>{t('airlock.actions.noFiles')}</p>}
      {request.canSubmit && !quarantined && (
        <Button iconId="fr-icon-send-plane-line" disabled={submit.isPending || request.files.length === 0} onClick={() => submit.mutate({})} id="submit-request" className="fr-mb-2w">
          {t('airlock.actions.submit')}
        </Button>
      )}
      {request.canSubmit && quarantined && (
        <form
          id="override-form"
          onSubmit={(e) => {
            e.preventDefault();
            submit.mutate({ overrideJustification: justification.trim() });
          }}
        >
          <Input
            textArea
            label={t('airlock.actions.override')}
            hintText={t('airlock.actions.overrideHint')}
            nativeTextAreaProps={{ id: 'override-justification', required: true, minLength: 20, rows: 4, value: justification, onChange: (e) => setJustification(e.target.value) }}
          />
          <Button type="submit" priority="secondary" disabled={submit.isPending || justification.trim().length < 20} id="submit-override">
            {t('airlock.actions.submitOverride')}
          </Button>
        </form>
      )}
      <ErrorAlert error={submit.error ?? withdraw.error} />
      {canWithdraw && (
        <Button
          priority="tertiary"
          iconId="fr-icon-close-circle-line"
          className="fr-mt-2w"
          disabled={withdraw.isPending}
          id="withdraw-request"
          onClick={() => {
            if (window.confirm(t('airlock.actions.confirmWithdraw', { title: request.title }))) withdraw.mutate(undefined);
          }}
        >
          {t('airlock.actions.withdraw')}
        </Button>
      )}
    </section>
  );
}

/** The lead picks released files to show on the project's public registry entry. */
export function PublishForm({ request }: { request: OutputRequestView }) {
  const { t } = useI18n();
  const publish = useRequestMutation<{ fileIds: string[] }>(request, airlockApi.publish(request.projectId, request.id));
  const candidates = request.files.filter((f) => f.sha256 && !f.published);
  const [picked, setPicked] = useState<string[]>(() => candidates.map((f) => f.id));
  if (!request.canPublish) return null;
  const published = request.files.filter((f) => f.published);
  return (
    <section aria-labelledby="publish-title" className="fr-mb-4w">
      <h2 id="publish-title" className="fr-h4">
        {t('airlock.publish.title')}
      </h2>
      <p className="fr-text--sm">{t('airlock.publish.hint')}</p>
      {published.length > 0 && <p id="published-files">{t('airlock.publish.already', { names: published.map((f) => f.name).join(', ') })}</p>}
      {candidates.length > 0 && (
        <form
          id="publish-form"
          onSubmit={(e) => {
            e.preventDefault();
            publish.mutate({ fileIds: picked });
          }}
        >
          <Checkbox
            legend={t('airlock.publish.files')}
            options={candidates.map((f) => ({
              label: f.name,
              hintText: f.context.length > 140 ? `${f.context.slice(0, 139)}…` : f.context,
              nativeInputProps: {
                value: f.id,
                checked: picked.includes(f.id),
                onChange: (e) => setPicked(e.target.checked ? [...picked, f.id] : picked.filter((id) => id !== f.id)),
              },
            }))}
          />
          <Button type="submit" iconId="fr-icon-global-line" disabled={publish.isPending || picked.length === 0} id="publish-submit">
            {t('airlock.publish.submit')}
          </Button>
        </form>
      )}
      <ErrorAlert error={publish.error} />
      {publish.isSuccess && (
        <p className="fr-message fr-message--valid" role="status" id="publish-done">
          {t('airlock.publish.done')}
        </p>
      )}
    </section>
  );
}
