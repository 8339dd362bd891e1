import { describe, expect, it } from 'vitest';
import { checkNir, syntheticNir } from '../platform/identifiers/nir.js';
import { traitProblems } from './identity-traits.js';

const nir13 = (raw: string) => {
  const checked = checkNir(raw);
  if (!checked.ok) throw new Error(checked.problem);
  return checked.nir;
};

describe('identity traits against the NIR', () => {
  const today = '2026-11-29';
  const random = (() => {
    let seed = 42;
    return () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  })();

  it('a birth date that agrees with the NIR’s year and month passes, Corsica included', () => {
    expect(traitProblems(nir13(syntheticNir(random, { birthYear: 1984, birthMonth: 12 })), '1984-12-03', today)).toEqual([]);
    expect(traitProblems(nir13(syntheticNir(random, { birthYear: 1951, birthMonth: 2, departement: '2A' })), '1951-02-28', today)).toEqual([]);
  });

  it('a relative’s NIR is caught by the year or the month of birth', () => {
    const nir = nir13(syntheticNir(random, { birthYear: 1984, birthMonth: 12 }));
    expect(traitProblems(nir, '1986-12-03', today)).toEqual(['birth_year']);
    expect(traitProblems(nir, '1984-11-03', today)).toEqual(['birth_month']);
    expect(traitProblems(nir, '1990-01-01', today)).toEqual(['birth_year', 'birth_month']);
  });

  it('an unknown month of birth in the NIR (20–42, 50–99) is not compared; the year still is', () => {
    const nir = nir13(syntheticNir(random, { birthYear: 1975, birthMonth: 99 }));
    expect(traitProblems(nir, '1975-01-01', today)).toEqual([]);
    expect(traitProblems(nir, '1976-01-01', today)).toEqual(['birth_year']);
  });

  it('a birth date after today is refused before any comparison', () => {
    expect(traitProblems(nir13(syntheticNir(random, { birthYear: 2026, birthMonth: 12 })), '2026-12-01', today)).toEqual(['birth_date_future']);
  });
});
