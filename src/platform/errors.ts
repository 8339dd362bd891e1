/**
 * Typed errors with stable codes. Services throw `HdhError('project.not_found', 404)`; the HTTP
 * layer renders `{ error: { code, message, details } }` with the message in the caller's language.
 * Each domain registers its messages (French and English) beside its code.
 */
export type Locale = 'fr' | 'en';
export interface Message {
  fr: string;
  en: string;
}

const catalogue = new Map<string, Message>();

/** Registers the bilingual messages of a domain's error codes. `{name}` placeholders are filled from params. */
export function registerMessages(messages: Record<string, Message>): void {
  for (const [code, message] of Object.entries(messages)) catalogue.set(code, message);
}

export function messageFor(code: string, locale: Locale, params: Record<string, unknown> = {}): string {
  const template = catalogue.get(code)?.[locale] ?? catalogue.get('internal')![locale];
  return template.replace(/\{(\w+)\}/g, (_, key: string) => (key in params ? String(params[key]) : `{${key}}`));
}

export class HdhError extends Error {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly params: Record<string, unknown> = {},
    /** Located details (field paths, file and line): safe to show to the caller. */
    readonly details?: unknown,
  ) {
    super(messageFor(code, 'en', params));
    this.name = 'HdhError';
  }
}

registerMessages({
  internal: { fr: 'Erreur interne du serveur.', en: 'Internal server error.' },
  'request.invalid': { fr: 'Requête invalide : {summary}', en: 'Invalid request: {summary}' },
  'request.malformed_json': {
    fr: 'Le corps de la requête n’est pas un JSON valide : {detail}',
    en: 'The request body is not valid JSON: {detail}',
  },
  'request.body_too_large': {
    fr: 'Le corps de la requête dépasse la taille autorisée ({limit} octets).',
    en: 'The request body exceeds the allowed size ({limit} bytes).',
  },
  'request.unsupported_media_type': {
    fr: 'Type de contenu non pris en charge : {type}.',
    en: 'Unsupported content type: {type}.',
  },
  'request.not_found': { fr: 'Ressource introuvable : {path}', en: 'Not found: {path}' },
  'request.rate_limited': {
    fr: 'Trop de requêtes ; réessayez dans {seconds} s.',
    en: 'Too many requests; try again in {seconds} s.',
  },
  'auth.required': { fr: 'Authentification requise.', en: 'Authentication required.' },
  'auth.invalid_credentials': {
    fr: 'Identifiants invalides ou compte indisponible.',
    en: 'Invalid credentials or unavailable account.',
  },
  'auth.forbidden': { fr: 'Action non autorisée pour votre profil.', en: 'Your role does not allow this action.' },
  'auth.csrf': {
    fr: 'Jeton anti-CSRF absent ou invalide ; rechargez la page.',
    en: 'Missing or invalid anti-CSRF token; reload the page.',
  },
  'auth.mfa_required': {
    fr: 'Une double authentification est requise : enrôlez un second facteur.',
    en: 'Two-factor authentication is required: enrol a second factor.',
  },
  'auth.charter_required': {
    fr: 'Vous devez accepter la charte utilisateur en vigueur avant tout accès aux données.',
    en: 'You must accept the current user charter before any data access.',
  },
});
