/**
 * American Soundex, used as a blocking key only (never as evidence): DuckDB has no soundex, so
 * the same algorithm is written twice — in TypeScript (tests, the truth set) and as a DuckDB
 * macro (the pipeline) — and a test checks that both agree on every name of the synthetic lists.
 *
 * Letters map to digits (B F P V → 1, C G J K Q S X Z → 2, D T → 3, L → 4, M N → 5, R → 6,
 * vowels and Y → 0 as separators, H and W dropped so they do not separate); runs of one digit
 * collapse (the first letter's digit included), zeros go, the first letter is kept and the
 * code is padded to four characters.
 */

const FROM = 'ABCDEFGIJKLMNOPQRSTUVXYZHW';
// Same order as FROM; H and W have no counterpart, so `translate` deletes them.
const TO = '012301202245501262301202';

const codeOf = new Map<string, string>([...FROM.slice(0, TO.length)].map((c, i) => [c, TO[i]!]));

/** Soundex of a name already upper-cased without accents; null for a name with no letter. */
export function soundex(name: string | null): string | null {
  if (name === null) return null;
  const letters = name.replace(/[^A-Z]/g, '');
  if (!letters) return null;
  let codes = '';
  for (const c of letters) codes += codeOf.get(c) ?? '';
  const collapsed = codes.replace(/(\d)\1+/g, '$1');
  const rest = letters[0] === 'H' || letters[0] === 'W' ? collapsed : collapsed.slice(1);
  return (letters[0]! + rest.replace(/0/g, '').slice(0, 3)).padEnd(4, '0');
}

/**
 * The DuckDB macro `soundex(name)`: RE2 has no back-references, so each digit's runs collapse
 * with its own regular expression.
 */
export const SOUNDEX_MACRO_SQL = (() => {
  let collapsed = `translate(regexp_replace(name, '[^A-Z]', '', 'g'), '${FROM}', '${TO}')`;
  for (const d of '0123456') collapsed = `regexp_replace(${collapsed}, '${d}+', '${d}', 'g')`;
  const letters = `regexp_replace(name, '[^A-Z]', '', 'g')`;
  return `CREATE OR REPLACE MACRO soundex(name) AS CASE WHEN ${letters} = '' OR name IS NULL THEN NULL ELSE rpad(left(${letters}, 1) || left(replace(CASE WHEN left(${letters}, 1) IN ('H', 'W') THEN ${collapsed} ELSE substr(${collapsed}, 2) END, '0', ''), 3), 4, '0') END`;
})();
