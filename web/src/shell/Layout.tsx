/** Page frame: DSFR header (navigation by role, language, sign-in/out), main, footer. */
import { Footer } from '@codegouvfr/react-dsfr/Footer';
import { Header, type HeaderProps } from '@codegouvfr/react-dsfr/Header';
import type { MainNavigationProps } from '@codegouvfr/react-dsfr/MainNavigation';
import type { ReactNode } from 'react';
import { useLocation } from 'react-router';
import type { Role } from '../api.ts';
import { useI18n, type MessageKey } from '../i18n.ts';
import { useUnreadNotifications } from '../projects/notifications.ts';
import { hasRole, useLogout, useSession } from './session.ts';

/** Navigation entries; a page registered in App.tsx with a role adds its line here. */
const navigation: { path: string; label: MessageKey; roles?: readonly Role[] }[] = [
  { path: '/', label: 'nav.home' },
  { path: '/catalogue', label: 'nav.catalogue' },
  { path: '/registre', label: 'nav.registry' },
  { path: '/vos-donnees', label: 'nav.citizens' },
  { path: '/projets', label: 'nav.projects', roles: ['project_lead', 'project_member', 'hub_instructor', 'administrator'] },
  { path: '/chargements', label: 'nav.ingest', roles: ['data_producer', 'administrator'] },
  { path: '/catalogue/proposals', label: 'nav.docProposals', roles: ['hub_instructor', 'administrator', 'data_producer'] },
  { path: '/admin/catalogue-import', label: 'nav.adminCatalogImport', roles: ['hub_instructor', 'administrator'] },
  { path: '/admin/synthetic', label: 'nav.adminSynthetic', roles: ['administrator'] },
  { path: '/admin/linkage', label: 'nav.adminLinkage', roles: ['hub_instructor', 'administrator'] },
  { path: '/admin/opposition', label: 'nav.adminOpposition', roles: ['hub_instructor', 'security_officer', 'administrator'] },
  { path: '/relecture', label: 'airlock.nav.queue', roles: ['output_reviewer'] },
  { path: '/admin/sas', label: 'airlock.nav.settings', roles: ['administrator'] },
  { path: '/alertes', label: 'airlock.nav.alerts', roles: ['security_officer'] },
  { path: '/audit', label: 'nav.audit', roles: ['security_officer'] },
  { path: '/admin/users', label: 'nav.adminUsers', roles: ['administrator'] },
  { path: '/admin/access-review', label: 'nav.accessReview', roles: ['administrator'] },
];

/** Pages for the public (PR-05), linked from every page's footer. */
const citizenLinks: { path: string; label: MessageKey }[] = [
  { path: '/vos-donnees', label: 'citizens.nav.hub' },
  { path: '/vos-donnees/responsables', label: 'citizens.nav.controllers' },
  { path: '/vos-donnees/sources', label: 'citizens.nav.sources' },
  { path: '/vos-donnees/droits', label: 'citizens.nav.rights' },
  { path: '/opposition', label: 'citizens.nav.opposition' },
];

export function Layout({ children }: { children: ReactNode }) {
  const { t, lang, setLang } = useI18n();
  const { data: session } = useSession();
  const logout = useLogout();
  const { pathname } = useLocation();
  const signedIn = !!session?.authenticated;
  const unread = useUnreadNotifications();

  const visible = navigation.filter((n) => !n.roles || (signedIn && session?.charterAccepted && hasRole(session, n.roles)));
  // The longest entry that prefixes the path is the active one (/catalogue vs /catalogue/proposals).
  const active = visible.filter((n) => (n.path === '/' ? pathname === '/' : pathname.startsWith(n.path))).sort((a, b) => b.path.length - a.path.length)[0];
  const items: MainNavigationProps.Item[] = visible.map((n) => ({ text: t(n.label), linkProps: { to: n.path }, isActive: n === active }));

  const other = lang === 'fr' ? 'en' : 'fr';
  const quickAccess: HeaderProps.QuickAccessItem[] = [
    {
      iconId: 'fr-icon-translate-2',
      text: other === 'en' ? 'English' : 'Français',
      buttonProps: { lang: other, 'aria-label': `${t('lang.label')} : ${other === 'en' ? 'English' : 'Français'}`, onClick: () => setLang(other) },
    },
    ...(signedIn
      ? [
          ...(unread.data
            ? [{ iconId: 'fr-icon-notification-3-line', text: t('notifications.bell', { n: unread.data.length }), linkProps: { to: '/notifications' } } as const]
            : []),
          { iconId: 'fr-icon-account-circle-line', text: session?.user?.displayName ?? t('nav.account'), linkProps: { to: '/account' } } as const,
          { iconId: 'fr-icon-logout-box-r-line', text: t('nav.logout'), buttonProps: { onClick: () => logout.mutate() } } as const,
        ]
      : [{ iconId: 'fr-icon-lock-line', text: t('nav.login'), linkProps: { to: '/login' } } as const]),
  ];

  return (
    <>
      <Header
        brandTop={<BrandTop />}
        serviceTitle={t('app.name')}
        serviceTagline={t('app.tagline')}
        homeLinkProps={{ to: '/', title: t('app.home') }}
        quickAccessItems={quickAccess}
        navigation={items}
      />
      <main id="content" className="fr-container fr-py-6w" tabIndex={-1}>
        {children}
      </main>
      <Footer
        accessibility="non compliant"
        brandTop={<BrandTop />}
        homeLinkProps={{ to: '/', title: t('app.home') }}
        contentDescription={t('footer.description')}
        bottomItems={[
          ...citizenLinks.map((l) => ({ text: t(l.label), linkProps: { to: l.path } })),
          { text: t('footer.api'), linkProps: { to: '/api/docs', reloadDocument: true } },
        ]}
      />
    </>
  );
}

function BrandTop() {
  return (
    <>
      République
      <br />
      Française
    </>
  );
}
