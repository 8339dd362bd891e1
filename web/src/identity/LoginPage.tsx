/**
 * Sign-in in one request: email, password and the second factor (TOTP, a recovery code, or a
 * security key whose ceremony runs first). With an identity provider configured, a button
 * starts the OIDC flow instead; its failures come back as `?error=<code>`.
 */
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api } from '../api.ts';
import { useI18n, type MessageKey } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { sessionKey, useSession } from '../shell/session.ts';
import { assertSecurityKey } from './securityKeys.ts';
import { codeFields, SecondFactorInput, type FactorMode } from './SecondFactorInput.tsx';

interface LoginAnswer {
  level: 'full' | 'enrolment';
  csrfToken: string;
}

/** Codes the OIDC callback may put in `?error=`; anything else reads as the generic failure. */
const callbackErrors: Record<string, MessageKey> = {
  'auth.oidc_failed': 'login.error.oidcFailed',
  'auth.oidc_unavailable': 'login.error.oidcUnavailable',
};

export function LoginPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { data: session } = useSession();
  const [params] = useSearchParams();
  const expired = params.get('expired');
  const next = params.get('next');
  const callbackError = params.get('error');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [mode, setMode] = useState<FactorMode>('totp');

  const login = useMutation({
    mutationFn: async () => {
      const webauthn = mode === 'key' ? await assertSecurityKey(email) : undefined;
      return api.post<LoginAnswer>('/api/auth/login', { email, password, ...codeFields(mode, code), ...(webauthn ? { webauthn } : {}) });
    },
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

  const quiet = login.isPending || login.isSuccess || login.isError;
  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
        <h1>{t('login.title')}</h1>
        {expired && !quiet && (
          <Alert className="fr-mb-3w" severity="info" title={t('login.expiredTitle')} description={expired === 'lifetime' ? t('login.expiredLifetime') : t('login.expired')} />
        )}
        {callbackError && !quiet && <Alert className="fr-mb-3w" severity="error" title={t('login.failed')} description={t(callbackErrors[callbackError] ?? 'login.error.generic')} />}
        <ErrorAlert error={login.error} title={t('login.failed')} />
        <form onSubmit={submit} noValidate>
          <Input label={t('login.email')} nativeInputProps={{ type: 'email', name: 'email', autoComplete: 'username', required: true, value: email, onChange: (e) => setEmail(e.target.value) }} />
          <Input label={t('login.password')} nativeInputProps={{ type: 'password', name: 'password', autoComplete: 'current-password', required: true, value: password, onChange: (e) => setPassword(e.target.value) }} />
          <SecondFactorInput mode={mode} onMode={setMode} code={code} onCode={setCode} modes={['totp', 'key', 'recovery']} />
          <p className="fr-text--sm fr-text-mention--grey">{t('login.noTotpYet')}</p>
          <Button type="submit" disabled={login.isPending}>
            {mode === 'key' ? t('login.submitKey') : t('login.submit')}
          </Button>
        </form>
        {session?.oidc.enabled && (
          <div className="fr-mt-5w" data-testid="oidc-login">
            <p className="hdh-or" aria-hidden="true">
              {t('login.or')}
            </p>
            <Button priority="secondary" iconId="fr-icon-account-circle-line" linkProps={{ to: '/api/auth/oidc/start', reloadDocument: true }}>
              {t('login.oidc', { label: session.oidc.label })}
            </Button>
          </div>
        )}
      </div>
    </div>
  );
}
