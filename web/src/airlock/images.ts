/** Images attached to a release request travel as base64 (the API's `contentBase64`). */

/** `data:…;base64,XXXX` → `XXXX`; a percent-encoded `data:` URL (SVG text) → its UTF-8 bytes in base64. */
export function dataUrlToBase64(url: string): string {
  const comma = url.indexOf(',');
  if (!url.startsWith('data:') || comma < 0) throw new Error('not a data: URL');
  const meta = url.slice(5, comma);
  const payload = url.slice(comma + 1);
  if (meta.endsWith(';base64')) return payload;
  const bytes = new TextEncoder().encode(decodeURIComponent(payload));
  let binary = '';
  // By chunks: String.fromCharCode(...bytes) overflows the call stack on a large SVG.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
