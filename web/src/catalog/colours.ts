/** One stable colour per product (DSFR illustrative palette), so a product keeps its colour across graphs. */
const palette = ['#000091', '#c9191e', '#18753c', '#b34000', '#6a6af4', '#a558a0', '#009081', '#7d4e5b', '#3558a2', '#c08c65', '#417dc4', '#8585f6'];

export function productColour(product: string): string {
  let h = 0;
  for (const ch of product) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return palette[h % palette.length]!;
}
