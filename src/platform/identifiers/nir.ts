/**
 * The French social-security number (NIR — numéro d'inscription au répertoire): 13 characters
 * (sex, birth year, birth month, département — `2A`/`2B` for Corsica —, commune, order number)
 * followed by a 2-digit control key = 97 − (number mod 97). For the key, Corsica's `2A` counts
 * as `19` and `2B` as `18`.
 *
 * The hub never keeps a NIR: it is checked here, then replaced by a keyed pseudonym
 * (platform/crypto/pseudonym.ts). Synthetic NIRs for tests and demos come from `syntheticNir`.
 */

export type NirProblem = 'length' | 'characters' | 'key';

export type NirCheck = { ok: true; nir: string } | { ok: false; problem: NirProblem };

const shape = /^[12378][0-9]{4}(?:[0-9]{2}|2A|2B)[0-9]{6}$/;

/** The 13-character number as the integer the key is computed on. */
function numericValue(nir13: string): number {
  const corsica = nir13.slice(5, 7);
  const digits = corsica === '2A' ? `${nir13.slice(0, 5)}19${nir13.slice(7)}` : corsica === '2B' ? `${nir13.slice(0, 5)}18${nir13.slice(7)}` : nir13;
  return Number(digits);
}

/** The control key of a 13-character NIR, as two digits. */
export function nirKey(nir13: string): string {
  if (!shape.test(nir13)) throw new RangeError('nirKey expects the 13 characters of a NIR');
  return String(97 - (numericValue(nir13) % 97)).padStart(2, '0');
}

/**
 * Checks a NIR as written by a producer: spaces, dots and dashes are ignored, letters may be
 * lower case. Returns the 13 characters (without the key) on success: that is what gets
 * pseudonymised, so "1 84 12 75 123 456 78" and "184127512345678" give the same pseudonym.
 */
export function checkNir(raw: string): NirCheck {
  const compact = raw.replace(/[\s.-]/g, '').toUpperCase();
  if (compact.length !== 15) return { ok: false, problem: 'length' };
  const nir13 = compact.slice(0, 13);
  const key = compact.slice(13);
  if (!shape.test(nir13) || !/^[0-9]{2}$/.test(key)) return { ok: false, problem: 'characters' };
  if (nirKey(nir13) !== key) return { ok: false, problem: 'key' };
  return { ok: true, nir: nir13 };
}

export function isValidNir(raw: string): boolean {
  return checkNir(raw).ok;
}

/**
 * A synthetic NIR with a valid key, from a uniform random source in [0, 1). Birth years and
 * communes are plausible; order numbers are random, so no real person is designated on purpose.
 */
export function syntheticNir(random: () => number, traits: { sex?: 1 | 2; birthYear?: number; birthMonth?: number; departement?: string } = {}): string {
  const pick = (n: number) => Math.floor(random() * n);
  const sex = traits.sex ?? (pick(2) + 1);
  const year = (traits.birthYear ?? 1930 + pick(90)) % 100;
  const month = traits.birthMonth ?? pick(12) + 1;
  const departements = ['75', '13', '69', '31', '33', '59', '2A', '2B', '44', '67', '06', '35', '97'];
  const dep = traits.departement ?? departements[pick(departements.length)]!;
  const commune = String(pick(999) + 1).padStart(3, '0');
  const order = String(pick(999) + 1).padStart(3, '0');
  const nir13 = `${sex}${String(year).padStart(2, '0')}${String(month).padStart(2, '0')}${dep}${commune}${order}`;
  return nir13 + nirKey(nir13);
}
