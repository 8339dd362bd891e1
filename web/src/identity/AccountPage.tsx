/** My account: details, password, security keys, recovery codes, language. */
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { RadioButtons } from '@codegouvfr/react-dsfr/RadioButtons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { langNames, langs, useI18n, type MessageKey } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { useSession } from '../shell/session.ts';
import { RecoveryCodes } from './RecoveryCodes.tsx';
import { SecurityKeysSection } from './SecurityKeysSection.tsx';

export function AccountPage() {
  const { t, formatDate, formatDateTime } = useI18n();
  const { data: session } = useSession();
  const user = session?.user;
  if (!user) return null;
  const rows: [MessageKey, string][] = [
    ['account.name', user.displayName],
    ['account.email', user.email],
    ['account.roles', user.roles.map((r) => t(`role.${r}`)).join(', ')],
    ['account.organisation', user.organisationName ?? t('account.none')],
    ['account.endOfRights', formatDate(user.endOfRights)],
    ['account.lastLogin', user.lastLoginAt ? formatDateTime(user.lastLoginAt) : t('account.none')],
  ];
  return (
    <>
      <h1>{t('account.title')}</h1>
      <h2>{t('account.info')}</h2>
      <dl className="hdh-facts fr-mb-4w">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{t(label)}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <PasswordChange />
      <SecurityKeysSection />
      <RecoveryCodesSection />
      <LanguageChoice />
    </>
  );
}

function PasswordChange() {
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const change = useMutation({
    mutationFn: () => api.post<void>('/api/me/password', { current, next }),
    onSuccess: () => {
      setCurrent('');
      setNext('');
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    change.mutate();
  }
  return (
    <section className="fr-mb-4w">
      <h2>{t('account.password')}</h2>
      {change.isSuccess && <Alert className="fr-mb-3w" severity="success" small description={t('account.passwordChanged')} />}
      <ErrorAlert error={change.error} />
      <form onSubmit={submit} className="fr-col-md-6">
        <Input label={t('account.currentPassword')} nativeInputProps={{ type: 'password', autoComplete: 'current-password', value: current, onChange: (e) => setCurrent(e.target.value) }} />
        <Input label={t('account.newPassword')} nativeInputProps={{ type: 'password', autoComplete: 'new-password', value: next, onChange: (e) => setNext(e.target.value) }} />
        <Button type="submit" disabled={change.isPending || !current || !next}>
          {t('account.change')}
        </Button>
      </form>
    </section>
  );
}

function RecoveryCodesSection() {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const security = useQuery({ queryKey: ['me', 'security'], queryFn: () => api.get<{ recoveryCodesLeft: number }>('/api/me/security') });
  const regenerate = useMutation({
    mutationFn: () => api.post<{ recoveryCodes: string[] }>('/api/auth/recovery-codes'),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['me', 'security'] }),
  });
  return (
    <section className="fr-mb-4w">
      <h2>{t('account.recovery')}</h2>
      {security.data && <p data-testid="recovery-left">{t('account.recoveryLeft', { count: security.data.recoveryCodesLeft })}</p>}
      <ErrorAlert error={security.error ?? regenerate.error} />
      {regenerate.data ? (
        <>
          <Alert className="fr-mb-3w" severity="warning" small description={t('totp.codesIntro')} />
          <RecoveryCodes codes={regenerate.data.recoveryCodes} />
        </>
      ) : (
        <>
          <p className="fr-text--sm">{t('account.regenerateWarn')}</p>
          <Button priority="secondary" disabled={regenerate.isPending} onClick={() => regenerate.mutate()}>
            {t('account.regenerate')}
          </Button>
        </>
      )}
    </section>
  );
}

function LanguageChoice() {
  const { t, lang, setLang } = useI18n();
  return (
    <section className="fr-mb-4w">
      <RadioButtons
        legend={<h2 className="fr-h4 fr-mb-0">{t('account.language')}</h2>}
        name="language"
        orientation="horizontal"
        options={langs.map((l) => ({ label: langNames[l], nativeInputProps: { value: l, checked: lang === l, onChange: () => setLang(l) } }))}
      />
    </section>
  );
}
