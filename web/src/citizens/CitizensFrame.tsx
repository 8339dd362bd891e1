/** The frame of the pages for the public (PR-05): a side menu between them, the page beside it. */
import { SideMenu } from '@codegouvfr/react-dsfr/SideMenu';
import type { ReactNode } from 'react';
import { useLocation } from 'react-router';
import { useI18n, type MessageKey } from '../i18n.ts';

export const citizenPaths = {
  hub: '/vos-donnees',
  controllers: '/vos-donnees/responsables',
  sources: '/vos-donnees/sources',
  rights: '/vos-donnees/droits',
  /** Built by the opt-out domain: the form to oppose the reuse of one's data. */
  opposition: '/opposition',
};

const pages: { path: string; label: MessageKey }[] = [
  { path: citizenPaths.hub, label: 'citizens.nav.hub' },
  { path: citizenPaths.controllers, label: 'citizens.nav.controllers' },
  { path: citizenPaths.sources, label: 'citizens.nav.sources' },
  { path: citizenPaths.rights, label: 'citizens.nav.rights' },
  { path: '/registre', label: 'citizens.nav.registry' },
  { path: citizenPaths.opposition, label: 'citizens.nav.opposition' },
];

export function CitizensFrame({ title, lead, children }: { title: string; lead: string; children: ReactNode }) {
  const { t } = useI18n();
  const { pathname } = useLocation();
  return (
    <div className="fr-grid-row fr-grid-row--gutters">
      <div className="fr-col-12 fr-col-md-3">
        <SideMenu
          title={t('citizens.menuTitle')}
          burgerMenuButtonText={t('citizens.menuTitle')}
          items={pages.map((p) => ({ text: t(p.label), linkProps: { to: p.path }, isActive: pathname === p.path }))}
        />
      </div>
      <div className="fr-col-12 fr-col-md-9 hdh-citizens">
        <h1>{title}</h1>
        <p className="fr-text--lead">{lead}</p>
        {children}
      </div>
    </div>
  );
}
