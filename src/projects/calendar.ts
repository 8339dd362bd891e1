/**
 * French working-day calendar — jours ouvrés: weekends and the national public holidays (jours
 * fériés), the Easter-based ones computed for any year. Days are ISO `YYYY-MM-DD` strings: a legal
 * deadline is a calendar day in Paris, not an instant. Alsace-Moselle's extra days (Good Friday,
 * 26 December) are not national and are left out.
 */
export type IsoDay = string;

const DAY_MS = 86_400_000;

function toUtc(day: IsoDay): Date {
  return new Date(`${day}T00:00:00Z`);
}
function fromUtc(d: Date): IsoDay {
  return d.toISOString().slice(0, 10);
}

/** Easter Sunday of a Gregorian year (anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): IsoDay {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const holidayCache = new Map<number, Map<IsoDay, string>>();

/** The eleven national public holidays of a year, day → French name. */
export function frenchPublicHolidays(year: number): Map<IsoDay, string> {
  const cached = holidayCache.get(year);
  if (cached) return cached;
  const easter = easterSunday(year);
  const y = String(year);
  const days = new Map<IsoDay, string>([
    [`${y}-01-01`, 'Jour de l’an'],
    [addCalendarDays(easter, 1), 'Lundi de Pâques'],
    [`${y}-05-01`, 'Fête du Travail'],
    [`${y}-05-08`, 'Victoire 1945'],
    [addCalendarDays(easter, 39), 'Ascension'],
    [addCalendarDays(easter, 50), 'Lundi de Pentecôte'],
    [`${y}-07-14`, 'Fête nationale'],
    [`${y}-08-15`, 'Assomption'],
    [`${y}-11-01`, 'Toussaint'],
    [`${y}-11-11`, 'Armistice 1918'],
    [`${y}-12-25`, 'Noël'],
  ]);
  holidayCache.set(year, days);
  return days;
}

export function isPublicHoliday(day: IsoDay): boolean {
  return frenchPublicHolidays(Number(day.slice(0, 4))).has(day);
}

/** Monday to Friday and not a public holiday. */
export function isWorkingDay(day: IsoDay): boolean {
  const weekday = toUtc(day).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !isPublicHoliday(day);
}

export function addCalendarDays(day: IsoDay, n: number): IsoDay {
  return fromUtc(new Date(toUtc(day).getTime() + n * DAY_MS));
}

/** The n-th working day after `day` (the day itself does not count, as for a legal time limit). */
export function addWorkingDays(day: IsoDay, n: number): IsoDay {
  let current = day;
  let left = n;
  while (left > 0) {
    current = addCalendarDays(current, 1);
    if (isWorkingDay(current)) left--;
  }
  return current;
}

/**
 * Calendar-month arithmetic — de quantième à quantième: the same day number n months later, or
 * the last day of that month when it is shorter (31 January + 1 month = 28 or 29 February).
 */
export function addCalendarMonths(day: IsoDay, n: number): IsoDay {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const monthIndex = m - 1 + n;
  const year = y + Math.floor(monthIndex / 12);
  const month = ((monthIndex % 12) + 12) % 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return fromUtc(new Date(Date.UTC(year, month, Math.min(d, lastDay))));
}

/** Working days strictly after `from` up to and including `to` (0 when to ≤ from). */
export function workingDaysBetween(from: IsoDay, to: IsoDay): number {
  let n = 0;
  for (let d = addCalendarDays(from, 1); d <= to; d = addCalendarDays(d, 1)) if (isWorkingDay(d)) n++;
  return n;
}

const parisFormat = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The calendar day in Paris of an instant: deadlines fall due at the end of a French day. */
export function parisDay(at: Date): IsoDay {
  return parisFormat.format(at);
}
