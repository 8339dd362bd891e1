/** Public home page: what the hub is and how access works. */
import { Button } from '@codegouvfr/react-dsfr/Button';
import { CallOut } from '@codegouvfr/react-dsfr/CallOut';
import { useI18n, type MessageKey } from '../i18n.ts';
import { useSession } from './session.ts';

const points: MessageKey[] = ['home.point.catalogue', 'home.point.projects', 'home.point.workspaces', 'home.point.outputs', 'home.point.audit'];

export function HomePage() {
  const { t } = useI18n();
  const { data: session } = useSession();
  return (
    <>
      <h1>{session?.user ? t('home.welcome', { name: session.user.displayName }) : t('home.title')}</h1>
      <p className="fr-text--lead">{t('home.lead')}</p>
      <h2>{t('home.what')}</h2>
      <ul>
        {points.map((p) => (
          <li key={p}>{t(p)}</li>
        ))}
      </ul>
      <CallOut title={t('home.security')} iconId="fr-icon-lock-line">
        {t('home.securityText')}
      </CallOut>
      {!session?.authenticated && (
        <Button linkProps={{ to: '/login' }} iconId="fr-icon-account-circle-line">
          {t('home.loginCta')}
        </Button>
      )}
    </>
  );
}
