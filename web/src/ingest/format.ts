/** Sizes, speeds and durations in the user's language (Intl units: « 12,5 Mo », "12.5 MB"). */
import type { Lang } from '../i18n.ts';

const locale = (lang: Lang) => (lang === 'fr' ? 'fr-FR' : 'en-GB');
const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/** Decimal multiples (1 kB = 1000 B), as file managers show them. */
export function formatBytes(bytes: number, lang: Lang): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return new Intl.NumberFormat(locale(lang), { style: 'unit', unit: units[unit], unitDisplay: 'short', maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value);
}

/** "1 h 5 min", "2 min 30 s", "8 s": the two largest parts are enough for a time left. */
export function formatDuration(seconds: number, lang: Lang): string {
  const total = Math.max(0, Math.ceil(seconds));
  const parts: [number, 'hour' | 'minute' | 'second'][] = [
    [Math.floor(total / 3600), 'hour'],
    [Math.floor((total % 3600) / 60), 'minute'],
    [total % 60, 'second'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  if (first === -1) return new Intl.NumberFormat(locale(lang), { style: 'unit', unit: 'second', unitDisplay: 'short' }).format(0);
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, unit]) => new Intl.NumberFormat(locale(lang), { style: 'unit', unit, unitDisplay: 'short' }).format(n))
    .join(' ');
}

export function formatCount(n: number, lang: Lang): string {
  return new Intl.NumberFormat(locale(lang)).format(n);
}
