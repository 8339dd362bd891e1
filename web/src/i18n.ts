/**
 * UI strings in French (default) and English. The choice lives in the `hdh_lang` cookie, which
 * the server reads too, so API error messages come back in the same language.
 */
import { createContext, createElement, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en } from './i18n/en.ts';
import { fr, type MessageKey } from './i18n/fr.ts';

export type Lang = 'fr' | 'en';
export const langs: readonly Lang[] = ['fr', 'en'];
export const langNames: Record<Lang, string> = { fr: 'Français', en: 'English' };

export type { MessageKey };

/** An error raised in the browser, shown in the user's language by <ErrorAlert>. */
export class LocalizedError extends Error {
  constructor(readonly key: MessageKey) {
    super(key);
    this.name = 'LocalizedError';
  }
}

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
