/** What the hub is and what it does with health data, for anyone (PR-05). */
import { CallOut } from '@codegouvfr/react-dsfr/CallOut';
import { Link } from 'react-router';
import { useI18n, type MessageKey } from '../i18n.ts';
import { citizenPaths, CitizensFrame } from './CitizensFrame.tsx';

const does: MessageKey[] = ['citizens.hub.does.1', 'citizens.hub.does.2', 'citizens.hub.does.3', 'citizens.hub.does.4'];
const never: MessageKey[] = ['citizens.hub.never.1', 'citizens.hub.never.2', 'citizens.hub.never.3'];
const steps: MessageKey[] = ['citizens.hub.step.1', 'citizens.hub.step.2', 'citizens.hub.step.3', 'citizens.hub.step.4', 'citizens.hub.step.5'];

export function HubPage() {
  const { t } = useI18n();
  return (
    <CitizensFrame title={t('citizens.hub.title')} lead={t('citizens.hub.lead')}>
      <h2>{t('citizens.hub.doesTitle')}</h2>
      <ul>{does.map((k) => <li key={k}>{t(k)}</li>)}</ul>
      <h2>{t('citizens.hub.neverTitle')}</h2>
      <ul>{never.map((k) => <li key={k}>{t(k)}</li>)}</ul>
      <h2>{t('citizens.hub.stepsTitle')}</h2>
      <ol>{steps.map((k) => <li key={k}>{t(k)}</li>)}</ol>
      <p>
        <Link to="/registre">{t('citizens.hub.registryLink')}</Link> · <Link to={citizenPaths.controllers}>{t('citizens.nav.controllers')}</Link> · <Link to={citizenPaths.sources}>{t('citizens.nav.sources')}</Link>
      </p>
      <CallOut title={t('citizens.hub.rightsTitle')} iconId="fr-icon-user-setting-line">
        {t('citizens.hub.rightsText')} <Link to={citizenPaths.rights}>{t('citizens.nav.rights')}</Link> · <Link to={citizenPaths.opposition}>{t('citizens.nav.opposition')}</Link>
      </CallOut>
    </CitizensFrame>
  );
}
