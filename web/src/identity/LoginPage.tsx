/** Sign-in in one request: email, password and the second factor (TOTP or a recovery code). */
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { sessionKey } from '../shell/session.ts';

interface LoginAnswer {
  level: 'full' | 'enrolment';
  csrfToken: string;
}

export function LoginPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const expired = params.get('expired');
  const next = params.get('next');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [useRecovery, setUseRecovery] = useState(false);

  const login = useMutation({
    mutationFn: () =>
      api.post<LoginAnswer>('/api/auth/login', {
        email,
        password,
        ...(code.trim() ? (useRecovery ? { recoveryCode: code.trim() } : { totp: code.trim() }) : {}),
      }),
    onSuccess: async (answer) => {
      await queryClient.invalidateQueries({ queryKey: sessionKey });
      // Only same-site paths: `next` comes from the URL and must not send the user elsewhere.
      const target = next && /^\/(?![/\\])/.test(next) ? next : '/';
      await navigate(answer.level === 'enrolment' ? '/totp-enrolment' : target, { replace: true });
    },
    onError: () => setCode(''),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    login.mutate();
  }

  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
        <h1>{t('login.title')}</h1>
        {expired && !login.isPending && !login.isSuccess && (
          <Alert className="fr-mb-3w" severity="info" title={t('login.expiredTitle')} description={expired === 'lifetime' ? t('login.expiredLifetime') : t('login.expired')} />
        )}
        <ErrorAlert error={login.error} title={t('login.failed')} />
        <form onSubmit={submit} noValidate>
          <Input label={t('login.email')} nativeInputProps={{ type: 'email', name: 'email', autoComplete: 'username', required: true, value: email, onChange: (e) => setEmail(e.target.value) }} />
          <Input label={t('login.password')} nativeInputProps={{ type: 'password', name: 'password', autoComplete: 'current-password', required: true, value: password, onChange: (e) => setPassword(e.target.value) }} />
          {useRecovery ? (
            <Input key="recovery" label={t('login.recovery')} hintText={t('login.recoveryHint')} nativeInputProps={{ name: 'recoveryCode', autoComplete: 'off', spellCheck: false, value: code, onChange: (e) => setCode(e.target.value) }} />
          ) : (
            <Input key="totp" label={t('login.totp')} hintText={t('login.totpHint')} nativeInputProps={{ name: 'totp', inputMode: 'numeric', pattern: '[0-9]{6}', maxLength: 6, autoComplete: 'one-time-code', value: code, onChange: (e) => setCode(e.target.value) }} />
          )}
          <Button
            type="button"
            priority="tertiary no outline"
            size="small"
            className="fr-mb-3w"
            onClick={() => {
              setUseRecovery(!useRecovery);
              setCode('');
            }}
          >
            {useRecovery ? t('login.useTotp') : t('login.useRecovery')}
          </Button>
          <p className="fr-text--sm fr-text-mention--grey">{t('login.noTotpYet')}</p>
          <Button type="submit" disabled={login.isPending}>
            {t('login.submit')}
          </Button>
        </form>
      </div>
    </div>
  );
}
