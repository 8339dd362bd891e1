/**
 * UI strings in French (default) and English. The choice lives in the `hdh_lang` cookie, which
 * the server reads too, so API error messages come back in the same language.
 */
import { createContext, createElement, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

export type Lang = 'fr' | 'en';
export const langs: readonly Lang[] = ['fr', 'en'];
export const langNames: Record<Lang, string> = { fr: 'Français', en: 'English' };

const fr = {
  'app.name': 'Health Data Hub',
  'app.tagline': 'Plateforme de données de santé pour la recherche',
  'app.brandTop': 'République\nFrançaise',
  'app.home': 'Accueil — Health Data Hub',
  'app.loading': 'Chargement…',
  'app.error': 'Erreur',
  'footer.description': 'Plateforme ouverte de mise à disposition de données de santé pseudonymisées pour des projets autorisés.',
  'footer.api': 'Documentation de l’API',
  'nav.home': 'Accueil',
  'nav.account': 'Mon compte',
  'nav.audit': 'Journal d’audit',
  'nav.adminUsers': 'Comptes',
  'nav.accessReview': 'Revue des accès',
  'nav.login': 'Se connecter',
  'nav.logout': 'Se déconnecter',
  'home.title': 'Le Health Data Hub',
  'home.lead': 'Le hub met des données de santé pseudonymisées à la disposition de projets d’intérêt public autorisés, dans des espaces de travail isolés et tracés.',
  'home.what': 'Ce que fait le hub',
  'home.point.catalogue': 'Un catalogue documente chaque source, table et variable.',
  'home.point.projects': 'Chaque projet a un périmètre autorisé : jeux de données, variables, période, date de fin.',
  'home.point.workspaces': 'Les analyses se font dans des espaces isolés ; aucune donnée individuelle ne sort.',
  'home.point.outputs': 'Les résultats passent un contrôle de confidentialité avant publication.',
  'home.point.audit': 'Chaque action est tracée dans un journal chaîné et scellé chaque jour.',
  'home.security': 'Accès sécurisé',
  'home.securityText': 'Comptes nominatifs, double authentification (mot de passe et code à usage unique) et charte d’utilisation acceptée avant tout accès aux données.',
  'home.loginCta': 'Se connecter',
  'home.welcome': 'Bonjour {name}',
  'login.title': 'Connexion',
  'login.email': 'Adresse électronique',
  'login.password': 'Mot de passe',
  'login.totp': 'Code à 6 chiffres',
  'login.totpHint': 'Affiché par votre application d’authentification',
  'login.recovery': 'Code de secours',
  'login.recoveryHint': 'Un des 10 codes reçus lors de l’activation',
  'login.useRecovery': 'Utiliser un code de secours',
  'login.useTotp': 'Utiliser un code à 6 chiffres',
  'login.submit': 'Se connecter',
  'login.failed': 'Connexion impossible',
  'login.expired': 'Session expirée après inactivité',
  'login.expiredLifetime': 'Session expirée : durée maximale atteinte',
  'login.expiredTitle': 'Veuillez vous reconnecter',
  'login.noTotpYet': 'Pas encore de second facteur ? Connectez-vous avec votre mot de passe seul : l’activation vous sera proposée.',
  'totp.title': 'Activer la double authentification',
  'totp.intro': 'Scannez ce QR code avec votre application d’authentification (FreeOTP, Aegis, Google Authenticator…), puis saisissez le code affiché.',
  'totp.qrAlt': 'QR code à scanner avec votre application d’authentification',
  'totp.secret': 'Ou saisissez cette clé à la main :',
  'totp.code': 'Code à 6 chiffres',
  'totp.confirm': 'Confirmer',
  'totp.start': 'Afficher le QR code',
  'totp.codesTitle': 'Vos codes de secours',
  'totp.codesIntro': 'Chacun permet une seule connexion si vous perdez votre téléphone. Ils ne seront plus affichés : conservez-les en lieu sûr.',
  'totp.saved': 'J’ai conservé mes codes',
  'charter.title': 'Charte d’utilisation',
  'charter.mustAccept': 'Vous devez accepter la charte d’utilisation avant d’accéder aux services du hub.',
  'charter.version': 'Version {version}, publiée le {date}',
  'charter.accept': 'J’accepte',
  'charter.accepted': 'Charte acceptée',
  'account.title': 'Mon compte',
  'account.info': 'Mes informations',
  'account.name': 'Nom',
  'account.email': 'Adresse électronique',
  'account.roles': 'Rôles',
  'account.organisation': 'Organisation',
  'account.endOfRights': 'Fin des droits',
  'account.lastLogin': 'Dernière connexion',
  'account.password': 'Changer mon mot de passe',
  'account.currentPassword': 'Mot de passe actuel',
  'account.newPassword': 'Nouveau mot de passe',
  'account.passwordChanged': 'Mot de passe modifié',
  'account.change': 'Modifier',
  'account.recovery': 'Codes de secours',
  'account.recoveryLeft': 'Codes de secours restants : {count}',
  'account.regenerate': 'Générer de nouveaux codes',
  'account.regenerateWarn': 'Les anciens codes ne fonctionneront plus.',
  'account.language': 'Langue de l’interface',
  'account.none': '—',
  'role.administrator': 'Administrateur',
  'role.security_officer': 'Responsable sécurité',
  'role.hub_instructor': 'Instructeur',
  'role.output_reviewer': 'Relecteur des résultats',
  'role.data_producer': 'Producteur de données',
  'role.project_lead': 'Porteur de projet',
  'role.project_member': 'Membre de projet',
  'audit.title': 'Journal d’audit',
  'audit.filters': 'Filtres',
  'audit.actor': 'Acteur',
  'audit.action': 'Action',
  'audit.outcome': 'Résultat',
  'audit.outcomeAny': 'Tous',
  'audit.outcome.success': 'Succès',
  'audit.outcome.failure': 'Échec',
  'audit.outcome.denied': 'Refusé',
  'audit.from': 'Du',
  'audit.to': 'Au',
  'audit.project': 'Projet',
  'audit.search': 'Rechercher',
  'audit.reset': 'Effacer les filtres',
  'audit.col.seq': 'N°',
  'audit.col.time': 'Date et heure',
  'audit.col.actor': 'Acteur',
  'audit.col.role': 'Rôle',
  'audit.col.action': 'Action',
  'audit.col.target': 'Cible',
  'audit.col.outcome': 'Résultat',
  'audit.col.ip': 'IP',
  'audit.caption': 'Événements du journal (les plus récents d’abord)',
  'audit.none': 'Aucun événement ne correspond à ces filtres.',
  'audit.more': 'Charger plus',
  'audit.csv': 'Exporter en CSV',
  'audit.verify': 'Vérifier l’intégrité',
  'audit.verifyOk': 'Intégrité vérifiée : {events} événements et {seals} sceaux contrôlés.',
  'audit.verifyKo': 'Problèmes d’intégrité détectés',
  'audit.unsealed': 'Jours non encore scellés : {days}',
  'admin.users': 'Comptes utilisateurs',
  'admin.create': 'Créer un compte',
  'admin.email': 'Adresse électronique',
  'admin.name': 'Nom affiché',
  'admin.organisation': 'Organisation',
  'admin.noOrganisation': 'Aucune',
  'admin.roles': 'Rôles',
  'admin.endOfRights': 'Fin des droits',
  'admin.password': 'Mot de passe initial',
  'admin.passwordHint': 'Transmis à la personne par un canal séparé ; elle activera son second facteur à la première connexion.',
  'admin.status': 'Statut',
  'admin.status.active': 'Actif',
  'admin.status.disabled': 'Désactivé',
  'admin.edit': 'Modifier',
  'admin.save': 'Enregistrer',
  'admin.cancel': 'Annuler',
  'admin.created': 'Compte créé',
  'admin.saved': 'Compte modifié',
  'admin.col.user': 'Personne',
  'admin.col.actions': 'Actions',
  'admin.mfa': '2FA',
  'admin.yes': 'oui',
  'admin.no': 'non',
  'review.title': 'Revue annuelle des accès',
  'review.intro': 'Chaque compte doit être revu au moins une fois par an : le conserver ou révoquer ses accès, avec une note.',
  'review.due': 'Revue due',
  'review.expired': 'Droits échus',
  'review.lastReviewed': 'Dernière revue',
  'review.never': 'jamais',
  'review.note': 'Note (obligatoire)',
  'review.keep': 'Conserver',
  'review.revoke': 'Révoquer',
  'review.done': 'Revue enregistrée',
  'access.deniedTitle': 'Accès refusé',
  'access.denied': 'Votre rôle ne donne pas accès à cette page.',
  'notFound.title': 'Page introuvable',
  'notFound.text': 'Cette adresse ne correspond à aucune page du hub.',
  'lang.label': 'Langue',
} as const;

export type MessageKey = keyof typeof fr;

const en: Record<MessageKey, string> = {
  'app.name': 'Health Data Hub',
  'app.tagline': 'Health data platform for research',
  'app.brandTop': 'République\nFrançaise',
  'app.home': 'Home — Health Data Hub',
  'app.loading': 'Loading…',
  'app.error': 'Error',
  'footer.description': 'Open platform making pseudonymised health data available to authorised projects.',
  'footer.api': 'API documentation',
  'nav.home': 'Home',
  'nav.account': 'My account',
  'nav.audit': 'Audit log',
  'nav.adminUsers': 'Accounts',
  'nav.accessReview': 'Access review',
  'nav.login': 'Sign in',
  'nav.logout': 'Sign out',
  'home.title': 'The Health Data Hub',
  'home.lead': 'The hub makes pseudonymised health data available to authorised public-interest projects, in isolated and traced workspaces.',
  'home.what': 'What the hub does',
  'home.point.catalogue': 'A catalogue documents every source, table and variable.',
  'home.point.projects': 'Each project has an authorised perimeter: datasets, variables, period, end date.',
  'home.point.workspaces': 'Analyses run in isolated workspaces; no individual-level data leaves them.',
  'home.point.outputs': 'Results pass a disclosure check before publication.',
  'home.point.audit': 'Every action is traced in a hash-chained log sealed every day.',
  'home.security': 'Secure access',
  'home.securityText': 'Personal accounts, two-factor authentication (password and one-time code) and a user charter accepted before any data access.',
  'home.loginCta': 'Sign in',
  'home.welcome': 'Hello {name}',
  'login.title': 'Sign in',
  'login.email': 'Email address',
  'login.password': 'Password',
  'login.totp': '6-digit code',
  'login.totpHint': 'Shown by your authenticator app',
  'login.recovery': 'Recovery code',
  'login.recoveryHint': 'One of the 10 codes you received at activation',
  'login.useRecovery': 'Use a recovery code',
  'login.useTotp': 'Use a 6-digit code',
  'login.submit': 'Sign in',
  'login.failed': 'Sign-in failed',
  'login.expired': 'Session expired after inactivity',
  'login.expiredLifetime': 'Session expired: maximum duration reached',
  'login.expiredTitle': 'Please sign in again',
  'login.noTotpYet': 'No second factor yet? Sign in with your password only: you will be asked to activate one.',
  'totp.title': 'Turn on two-factor authentication',
  'totp.intro': 'Scan this QR code with your authenticator app (FreeOTP, Aegis, Google Authenticator…), then type the code it shows.',
  'totp.qrAlt': 'QR code to scan with your authenticator app',
  'totp.secret': 'Or type this key by hand:',
  'totp.code': '6-digit code',
  'totp.confirm': 'Confirm',
  'totp.start': 'Show the QR code',
  'totp.codesTitle': 'Your recovery codes',
  'totp.codesIntro': 'Each one allows a single sign-in if you lose your phone. They will not be shown again: keep them somewhere safe.',
  'totp.saved': 'I saved my codes',
  'charter.title': 'User charter',
  'charter.mustAccept': 'You must accept the user charter before using the hub’s services.',
  'charter.version': 'Version {version}, published on {date}',
  'charter.accept': 'I accept',
  'charter.accepted': 'Charter accepted',
  'account.title': 'My account',
  'account.info': 'My details',
  'account.name': 'Name',
  'account.email': 'Email address',
  'account.roles': 'Roles',
  'account.organisation': 'Organisation',
  'account.endOfRights': 'End of rights',
  'account.lastLogin': 'Last sign-in',
  'account.password': 'Change my password',
  'account.currentPassword': 'Current password',
  'account.newPassword': 'New password',
  'account.passwordChanged': 'Password changed',
  'account.change': 'Change',
  'account.recovery': 'Recovery codes',
  'account.recoveryLeft': 'Recovery codes left: {count}',
  'account.regenerate': 'Generate new codes',
  'account.regenerateWarn': 'The old codes will stop working.',
  'account.language': 'Interface language',
  'account.none': '—',
  'role.administrator': 'Administrator',
  'role.security_officer': 'Security officer',
  'role.hub_instructor': 'Instructor',
  'role.output_reviewer': 'Output reviewer',
  'role.data_producer': 'Data producer',
  'role.project_lead': 'Project lead',
  'role.project_member': 'Project member',
  'audit.title': 'Audit log',
  'audit.filters': 'Filters',
  'audit.actor': 'Actor',
  'audit.action': 'Action',
  'audit.outcome': 'Outcome',
  'audit.outcomeAny': 'All',
  'audit.outcome.success': 'Success',
  'audit.outcome.failure': 'Failure',
  'audit.outcome.denied': 'Denied',
  'audit.from': 'From',
  'audit.to': 'To',
  'audit.project': 'Project',
  'audit.search': 'Search',
  'audit.reset': 'Clear filters',
  'audit.col.seq': 'No.',
  'audit.col.time': 'Date and time',
  'audit.col.actor': 'Actor',
  'audit.col.role': 'Role',
  'audit.col.action': 'Action',
  'audit.col.target': 'Target',
  'audit.col.outcome': 'Outcome',
  'audit.col.ip': 'IP',
  'audit.caption': 'Log events (most recent first)',
  'audit.none': 'No event matches these filters.',
  'audit.more': 'Load more',
  'audit.csv': 'Export as CSV',
  'audit.verify': 'Verify integrity',
  'audit.verifyOk': 'Integrity verified: {events} events and {seals} seals checked.',
  'audit.verifyKo': 'Integrity problems found',
  'audit.unsealed': 'Days not sealed yet: {days}',
  'admin.users': 'User accounts',
  'admin.create': 'Create an account',
  'admin.email': 'Email address',
  'admin.name': 'Display name',
  'admin.organisation': 'Organisation',
  'admin.noOrganisation': 'None',
  'admin.roles': 'Roles',
  'admin.endOfRights': 'End of rights',
  'admin.password': 'Initial password',
  'admin.passwordHint': 'Give it to the person through a separate channel; they will activate their second factor at first sign-in.',
  'admin.status': 'Status',
  'admin.status.active': 'Active',
  'admin.status.disabled': 'Disabled',
  'admin.edit': 'Edit',
  'admin.save': 'Save',
  'admin.cancel': 'Cancel',
  'admin.created': 'Account created',
  'admin.saved': 'Account updated',
  'admin.col.user': 'Person',
  'admin.col.actions': 'Actions',
  'admin.mfa': '2FA',
  'admin.yes': 'yes',
  'admin.no': 'no',
  'review.title': 'Annual access review',
  'review.intro': 'Every account must be reviewed at least once a year: keep it or revoke its access, with a note.',
  'review.due': 'Review due',
  'review.expired': 'Rights ended',
  'review.lastReviewed': 'Last review',
  'review.never': 'never',
  'review.note': 'Note (required)',
  'review.keep': 'Keep',
  'review.revoke': 'Revoke',
  'review.done': 'Review recorded',
  'access.deniedTitle': 'Access denied',
  'access.denied': 'Your role does not give access to this page.',
  'notFound.title': 'Page not found',
  'notFound.text': 'This address matches no page of the hub.',
  'lang.label': 'Language',
};

const messages: Record<Lang, Record<MessageKey, string>> = { fr, en };

export const LANG_COOKIE = 'hdh_lang';

/** The language chosen earlier (cookie), else the browser's if English, else French. */
export function initialLang(): Lang {
  const match = /(?:^|;\s*)hdh_lang=(fr|en)\b/.exec(document.cookie);
  if (match) return match[1] as Lang;
  return navigator.language.toLowerCase().startsWith('en') ? 'en' : 'fr';
}

function storeLang(lang: Lang): void {
  // A year; Lax so it also travels on top-level navigations (CSV download, reload).
  const secure = location.protocol === 'https:' ? '; secure' : '';
  document.cookie = `${LANG_COOKIE}=${lang}; path=/; max-age=31536000; samesite=lax${secure}`;
}

export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  const text = messages[lang][key];
  return params ? text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? `{${name}}`)) : text;
}

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
  /** Dates and times in the user's language, Paris time (the hub's legal time). */
  formatDateTime: (iso: string) => string;
  formatDate: (isoDay: string) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children, onChange }: { children: ReactNode; onChange?: (lang: Lang) => void }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  // Screen readers and the browser's spell-check follow <html lang>, from the first render on.
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback(
    (next: Lang) => {
      storeLang(next);
      setLangState(next);
      onChange?.(next);
    },
    [onChange],
  );
  const value = useMemo<I18n>(() => {
    const locale = lang === 'fr' ? 'fr-FR' : 'en-GB';
    const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium', timeZone: 'Europe/Paris' });
    const day = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
    return {
      lang,
      setLang,
      t: (key, params) => translate(lang, key, params),
      formatDateTime: (iso) => dateTime.format(new Date(iso)),
      formatDate: (isoDay) => day.format(new Date(`${isoDay.slice(0, 10)}T00:00:00Z`)),
    };
  }, [lang, setLang]);
  return createElement(I18nContext.Provider, { value }, children);
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

/** For react-dsfr's own strings (startReactDsfr's `useLang`). */
export function useLang(): Lang {
  return useI18n().lang;
}
