/**
 * The second-factor part of a sign-in form, shared by the login page and the second step after
 * an OIDC sign-in: a TOTP code, a recovery code, or a security key (touched on submit).
 */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { useI18n, type MessageKey } from '../i18n.ts';

export type FactorMode = 'totp' | 'recovery' | 'key';

const switchLabel: Record<FactorMode, MessageKey> = { totp: 'login.useTotp', recovery: 'login.useRecovery', key: 'login.useKey' };

export function SecondFactorInput({ mode, onMode, code, onCode, modes }: { mode: FactorMode; onMode: (mode: FactorMode) => void; code: string; onCode: (code: string) => void; modes: readonly FactorMode[] }) {
  const { t } = useI18n();
  return (
    <>
      {mode === 'recovery' && (
        <Input key="recovery" label={t('login.recovery')} hintText={t('login.recoveryHint')} nativeInputProps={{ name: 'recoveryCode', autoComplete: 'off', spellCheck: false, value: code, onChange: (e) => onCode(e.target.value) }} />
      )}
      {mode === 'totp' && (
        <Input key="totp" label={t('login.totp')} hintText={t('login.totpHint')} nativeInputProps={{ name: 'totp', inputMode: 'numeric', pattern: '[0-9]{6}', maxLength: 6, autoComplete: 'one-time-code', value: code, onChange: (e) => onCode(e.target.value) }} />
      )}
      {mode === 'key' && (
        <p className="fr-mb-2w" data-testid="key-hint">
          <span className="fr-icon-fingerprint-line fr-mr-1w" aria-hidden="true" />
          {t('login.keyHint')}
        </p>
      )}
      <ul className="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm fr-mb-1w">
        {modes
          .filter((m) => m !== mode)
          .map((m) => (
            <li key={m}>
              <Button
                type="button"
                priority="tertiary no outline"
                size="small"
                onClick={() => {
                  onMode(m);
                  onCode('');
                }}
              >
                {t(switchLabel[m])}
              </Button>
            </li>
          ))}
      </ul>
    </>
  );
}

/** The request's factor fields for a typed code (the key's assertion is added by the caller). */
export function codeFields(mode: FactorMode, code: string): { totp?: string; recoveryCode?: string } {
  const value = code.trim();
  if (!value || mode === 'key') return {};
  return mode === 'recovery' ? { recoveryCode: value } : { totp: value };
}
