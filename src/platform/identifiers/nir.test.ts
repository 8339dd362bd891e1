import { describe, expect, it } from 'vitest';
import { checkNir, isValidNir, nirKey, syntheticNir } from './nir.js';

/** The key computed independently with BigInt, from the rule as written in the issue. */
function referenceKey(nir13: string): string {
  const digits = nir13.replace('2A', '19').replace('2B', '18');
  return String(97n - (BigInt(digits) % 97n)).padStart(2, '0');
}

describe('NIR', () => {
  it('DP-01: accepts a NIR whose key is 97 − (number mod 97), with spaces, dots or dashes', () => {
    const nir13 = '1841275123456';
    const key = referenceKey(nir13);
    expect(nirKey(nir13)).toBe(key);
    expect(checkNir(`${nir13}${key}`)).toEqual({ ok: true, nir: nir13 });
    expect(checkNir(`1 84 12 75 123 456 ${key}`)).toEqual({ ok: true, nir: nir13 });
    expect(checkNir(`1.84.12.75.123.456-${key}`)).toEqual({ ok: true, nir: nir13 });
  });

  it('DP-01: refuses a wrong key, a wrong length and stray characters, saying which', () => {
    const nir13 = '2950533063001';
    const good = Number(referenceKey(nir13));
    const bad = String((good % 97) + 1).padStart(2, '0');
    expect(checkNir(`${nir13}${bad}`)).toEqual({ ok: false, problem: 'key' });
    expect(checkNir(`${nir13}${referenceKey(nir13)}0`)).toEqual({ ok: false, problem: 'length' });
    expect(checkNir('')).toEqual({ ok: false, problem: 'length' });
    expect(checkNir(`29505330630X1${referenceKey(nir13)}`)).toEqual({ ok: false, problem: 'characters' });
    expect(checkNir(`5950533063001${referenceKey(nir13)}`)).toEqual({ ok: false, problem: 'characters' });
  });

  it('DP-01: Corsica counts 2A as 19 and 2B as 18 for the key', () => {
    for (const dep of ['2A', '2B']) {
      const nir13 = `18506${dep}123456`;
      const key = referenceKey(nir13);
      expect(nirKey(nir13)).toBe(key);
      expect(isValidNir(`${nir13}${key}`)).toBe(true);
      expect(isValidNir(`${nir13.toLowerCase()}${key}`)).toBe(true);
    }
    // 2A and 2B give different keys for otherwise identical numbers, and 20 is not Corsica's stand-in.
    expect(nirKey('185062A123456')).not.toBe(nirKey('185062B123456'));
    expect(nirKey('185062A123456')).toBe(referenceKey('1850619123456'));
  });

  it('generates synthetic NIRs that all pass the check', () => {
    let state = 42;
    const random = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const nirs = Array.from({ length: 2000 }, () => syntheticNir(random));
    expect(nirs.every(isValidNir)).toBe(true);
    expect(nirs.some((n) => n.slice(5, 7) === '2A')).toBe(true);
    expect(new Set(nirs).size).toBeGreaterThan(1990);
  });
});
