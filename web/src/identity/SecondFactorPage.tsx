/**
 * Second step of a sign-in whose first factor came from the identity provider (OIDC) without
 * trusted MFA (ADR 0005): the account's own factor — TOTP, recovery code or security key.
 */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Navigate, useNavigate } from 'react-router';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { sessionKey, useLogout, useSession } from '../shell/session.ts';
import { assertSecurityKey } from './securityKeys.ts';
import { codeFields, SecondFactorInput, type FactorMode } from './SecondFactorInput.tsx';

export function SecondFactorPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const logout = useLogout();
  const { data: session } = useSession();
  const factors = session?.secondFactors;
  const modes: FactorMode[] = [...(factors?.totp ? (['totp'] as const) : []), ...(factors?.webauthn ? (['key'] as const) : []), 'recovery'];
  const [chosen, setMode] = useState<FactorMode | null>(null);
  const mode = chosen ?? modes[0]!;
  const [code, setCode] = useState('');

  const complete = useMutation({
    mutationFn: async () => {
      const webauthn = mode === 'key' ? await assertSecurityKey(session!.user!.email) : undefined;
      return api.post<{ level: 'full' }>('/api/auth/second-factor', { ...codeFields(mode, code), ...(webauthn ? { webauthn } : {}) });
    },
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: sessionKey });
      await navigate('/', { replace: true });
    },
    onError: () => setCode(''),
  });

  // Nothing to wait for (already full, or no factor yet: the guard sends to enrolment).
  if (!factors?.pending && !complete.isPending && !complete.isSuccess) return <Navigate to="/" replace />;

  function submit(event: FormEvent) {
    event.preventDefault();
    complete.mutate();
  }

  return (
    <div className="fr-grid-row fr-grid-row--center">
      <div className="fr-col-12 fr-col-md-8 fr-col-lg-6">
        <h1>{t('secondFactor.title')}</h1>
        <p>{t('secondFactor.intro', { label: session?.oidc.label ?? '', name: session?.user?.displayName ?? '' })}</p>
        <ErrorAlert error={complete.error} title={t('login.failed')} />
        <form onSubmit={submit} noValidate>
          <SecondFactorInput mode={mode} onMode={setMode} code={code} onCode={setCode} modes={modes} />
          <ul className="fr-btns-group fr-btns-group--inline-md fr-mt-2w">
            <li>
              <Button type="submit" disabled={complete.isPending}>
                {mode === 'key' ? t('login.submitKey') : t('secondFactor.submit')}
              </Button>
            </li>
            <li>
              <Button type="button" priority="secondary" disabled={logout.isPending} onClick={() => logout.mutate()}>
                {t('secondFactor.cancel')}
              </Button>
            </li>
          </ul>
        </form>
      </div>
    </div>
  );
}
