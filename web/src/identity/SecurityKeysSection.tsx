/** My security keys (clés de sécurité) on the account page: list, add one, remove one. */
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { Table } from '@codegouvfr/react-dsfr/Table';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, type SecurityKey } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { sessionKey } from '../shell/session.ts';
import { RecoveryCodes } from './RecoveryCodes.tsx';
import { registerSecurityKey } from './securityKeys.ts';

const keysKey = ['me', 'security-keys'] as const;

export function SecurityKeysSection() {
  const { t, formatDateTime } = useI18n();
  const queryClient = useQueryClient();
  const [label, setLabel] = useState('');
  const keys = useQuery({ queryKey: keysKey, queryFn: () => api.get<SecurityKey[]>('/api/auth/webauthn/credentials') });
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: keysKey });
    await queryClient.invalidateQueries({ queryKey: sessionKey });
  };
  const add = useMutation({
    mutationFn: () => registerSecurityKey(label.trim()),
    onSuccess: async () => {
      setLabel('');
      remove.reset();
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => api.delete<void>(`/api/auth/webauthn/credentials/${encodeURIComponent(id)}`),
    onSuccess: refresh,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate();
  }

  return (
    <section className="fr-mb-4w" data-testid="security-keys">
      <h2>{t('keys.title')}</h2>
      <p className="fr-text--sm">{t('keys.intro')}</p>
      <ErrorAlert error={keys.error} />
      <ErrorAlert error={remove.error} title={t('keys.deleteRefused')} />
      {keys.data && keys.data.length === 0 && <p>{t('keys.none')}</p>}
      {keys.data && keys.data.length > 0 && (
        <Table
          className="fr-mb-3w"
          caption={t('keys.caption')}
          noCaption
          headers={[t('keys.col.label'), t('keys.col.created'), t('keys.col.lastUsed'), t('admin.col.actions')]}
          data={keys.data.map((key) => [
            key.label,
            formatDateTime(key.createdAt),
            key.lastUsedAt ? formatDateTime(key.lastUsedAt) : t('keys.neverUsed'),
            <Button key="delete" priority="tertiary" size="small" iconId="fr-icon-delete-line" disabled={remove.isPending} onClick={() => remove.mutate(key.id)} title={t('keys.deleteNamed', { label: key.label })}>
              {t('keys.delete')}
            </Button>,
          ])}
        />
      )}
      {add.isSuccess && <Alert className="fr-mb-3w" severity="success" small description={t('keys.added')} />}
      {add.data?.recoveryCodes && (
        <>
          <Alert className="fr-mb-3w" severity="warning" small description={t('totp.codesIntro')} />
          <RecoveryCodes codes={add.data.recoveryCodes} />
        </>
      )}
      <ErrorAlert error={add.error} />
      <form onSubmit={submit} className="fr-col-md-6">
        <Input label={t('keys.label')} hintText={t('keys.labelHint')} nativeInputProps={{ name: 'keyLabel', maxLength: 100, value: label, onChange: (e) => setLabel(e.target.value) }} />
        <Button type="submit" priority="secondary" iconId="fr-icon-add-line" disabled={add.isPending || !label.trim()}>
          {t('keys.add')}
        </Button>
      </form>
    </section>
  );
}
