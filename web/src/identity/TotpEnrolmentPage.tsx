/**
 * First sign-in of an account without a second factor: show the TOTP QR code and secret and
 * confirm with a first code — or register a security key instead — then show the recovery
 * codes once (AUTH-01).
 */
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { api } from '../api.ts';
import { useI18n } from '../i18n.ts';
import { ErrorAlert } from '../shell/ErrorAlert.tsx';
import { sessionKey } from '../shell/session.ts';
import { RecoveryCodes } from './RecoveryCodes.tsx';
import { registerSecurityKey } from './securityKeys.ts';

interface Enrolment {
  secret: string;
  uri: string;
  qrSvg: string;
}

/** The server's SVG as an image: an <img> never runs script, unlike SVG put into the DOM. */
export function svgDataUrl(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

export function TotpEnrolmentPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  const [keyLabel, setKeyLabel] = useState('');
  const begin = useMutation({ mutationFn: () => api.post<Enrolment>('/api/auth/totp/enrol') });
  const confirm = useMutation({ mutationFn: () => api.post<{ recoveryCodes: string[] }>('/api/auth/totp/confirm', { code: code.trim() }) });
  const registerKey = useMutation({ mutationFn: () => registerSecurityKey(keyLabel.trim()) });

  // Start once on arrival (the ref keeps React's development double effect from starting twice).
  const started = useRef(false);
  const { mutate: start } = begin;
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    start();
  }, [start]);

  function submit(event: FormEvent) {
    event.preventDefault();
    confirm.mutate();
  }

  function submitKey(event: FormEvent) {
    event.preventDefault();
    registerKey.mutate();
  }

  async function done() {
    await queryClient.invalidateQueries({ queryKey: sessionKey });
    await navigate('/', { replace: true });
  }

  const codes = confirm.data?.recoveryCodes ?? registerKey.data?.recoveryCodes;
  if (codes) {
    return (
      <>
        <h1>{t('totp.codesTitle')}</h1>
        <Alert className="fr-mb-3w" severity="warning" small description={t('totp.codesIntro')} />
        <RecoveryCodes codes={codes} />
        <Button onClick={() => void done()}>{t('totp.saved')}</Button>
      </>
    );
  }

  return (
    <>
      <h1>{t('totp.title')}</h1>
      <h2 className="fr-h4">{t('totp.appHeading')}</h2>
      <p>{t('totp.intro')}</p>
      <ErrorAlert error={begin.error} />
      {begin.data && (
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-4">
            <img className="hdh-qr" src={svgDataUrl(begin.data.qrSvg)} alt={t('totp.qrAlt')} width={240} height={240} />
          </div>
          <div className="fr-col-12 fr-col-md-8">
            <p>{t('totp.secret')}</p>
            <p>
              <code className="hdh-secret" data-testid="totp-secret">{begin.data.secret}</code>
            </p>
            <ErrorAlert error={confirm.error} />
            <form onSubmit={submit}>
              <Input label={t('totp.code')} nativeInputProps={{ name: 'code', inputMode: 'numeric', pattern: '[0-9]{6}', maxLength: 6, autoComplete: 'one-time-code', value: code, onChange: (e) => setCode(e.target.value) }} />
              <Button type="submit" disabled={confirm.isPending}>
                {t('totp.confirm')}
              </Button>
            </form>
          </div>
        </div>
      )}
      <section className="fr-mt-5w" data-testid="key-enrolment">
        <h2 className="fr-h4">{t('totp.keyHeading')}</h2>
        <p>{t('totp.keyIntro')}</p>
        <ErrorAlert error={registerKey.error} />
        <form onSubmit={submitKey} className="fr-col-md-6">
          <Input label={t('keys.label')} hintText={t('keys.labelHint')} nativeInputProps={{ name: 'keyLabel', maxLength: 100, value: keyLabel, onChange: (e) => setKeyLabel(e.target.value) }} />
          <Button type="submit" priority="secondary" iconId="fr-icon-fingerprint-line" disabled={registerKey.isPending || !keyLabel.trim()}>
            {t('keys.register')}
          </Button>
        </form>
      </section>
    </>
  );
}
