/** Distinct colours for the products of one graph (DSFR illustrative palette), in name order. */
const palette = ['#000091', '#c9191e', '#18753c', '#b34000', '#a558a0', '#009081', '#6a6af4', '#7d4e5b', '#c08c65', '#417dc4', '#8585f6', '#3a3a3a'];
export const unknownColour = '#929292';

export function productColours(products: Iterable<string>): Record<string, string> {
  const sorted = [...new Set(products)].sort();
  return Object.fromEntries(sorted.map((p, i) => [p, palette[i % palette.length]!]));
}
