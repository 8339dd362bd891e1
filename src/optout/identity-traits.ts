/**
 * Identity traits — traits d'identité — given with a NIR on the opposition form. They are never
 * stored: their only use is to catch a NIR that is valid but not the person's own (a relative's
 * number, typed from the wrong card), by comparing the birth date with what the NIR encodes
 * (characters 2–3: year of birth, 4–5: month of birth, 01–12 when known).
 *
 * Names are not asked: nothing the hub holds could check them, and a trait that is neither
 * checked nor kept has no purpose (data minimisation, GDPR art. 5.1.c). The sex digit is not
 * asked either: it would add one digit of checking to the thirteen the control key protects.
 */

export type TraitProblem = 'birth_year' | 'birth_month' | 'birth_date_future';

/**
 * Problems between a checked NIR (its 13 characters) and a birth date (`YYYY-MM-DD`);
 * empty when they agree. `today` is the hub's calendar day (`YYYY-MM-DD`).
 */
export function traitProblems(nir13: string, birthDate: string, today: string): TraitProblem[] {
  if (birthDate > today) return ['birth_date_future'];
  const problems: TraitProblem[] = [];
  if (nir13.slice(1, 3) !== birthDate.slice(2, 4)) problems.push('birth_year');
  const month = Number(nir13.slice(3, 5));
  // 20–42 and 50–99 mark an unknown month of birth (people born abroad, civil status rebuilt): nothing to compare.
  if (month >= 1 && month <= 12 && nir13.slice(3, 5) !== birthDate.slice(5, 7)) problems.push('birth_month');
  return problems;
}
