/**
 * How to exercise one's rights (PR-05): access (PR-03), rectification, opposition to the reuse
 * of one's data for research (PR-01, PR-02, the form at /opposition), the response time (PR-04)
 * and the complaint to the CNIL.
 */
import { CallOut } from '@codegouvfr/react-dsfr/CallOut';
import { Link } from 'react-router';
import { useI18n, type MessageKey } from '../i18n.ts';
import { citizenPaths, CitizensFrame } from './CitizensFrame.tsx';

const rights: { id: string; title: MessageKey; body: MessageKey[] }[] = [
  { id: 'access', title: 'citizens.rights.access.title', body: ['citizens.rights.access.1', 'citizens.rights.access.2'] },
  { id: 'rectification', title: 'citizens.rights.rectification.title', body: ['citizens.rights.rectification.1'] },
  { id: 'opposition', title: 'citizens.rights.opposition.title', body: ['citizens.rights.opposition.1', 'citizens.rights.opposition.2'] },
  { id: 'information', title: 'citizens.rights.information.title', body: ['citizens.rights.information.1'] },
];

export function RightsPage() {
  const { t } = useI18n();
  return (
    <CitizensFrame title={t('citizens.rights.title')} lead={t('citizens.rights.lead')}>
      <CallOut title={t('citizens.rights.oppositionCallTitle')} iconId="fr-icon-eye-off-line" buttonProps={{ linkProps: { to: citizenPaths.opposition }, children: t('citizens.rights.oppositionButton') }}>
        {t('citizens.rights.oppositionCallText')}
      </CallOut>
      {rights.map((r) => (
        <section key={r.id} id={`right-${r.id}`}>
          <h2>{t(r.title)}</h2>
          {r.body.map((k) => <p key={k}>{t(k)}</p>)}
          {r.id === 'information' && <p><Link to="/registre">{t('citizens.nav.registry')}</Link></p>}
        </section>
      ))}
      <h2>{t('citizens.rights.howTitle')}</h2>
      <ol>
        <li>{t('citizens.rights.how.1')}</li>
        <li>{t('citizens.rights.how.2')}</li>
        <li>{t('citizens.rights.how.3')}</li>
      </ol>
      <h2>{t('citizens.rights.delayTitle')}</h2>
      <p>{t('citizens.rights.delay')}</p>
      <h2>{t('citizens.rights.complaintTitle')}</h2>
      <p>{t('citizens.rights.complaint')} <a href="https://www.cnil.fr/fr/plaintes" rel="noopener noreferrer" target="_blank">cnil.fr/fr/plaintes</a></p>
    </CitizensFrame>
  );
}
