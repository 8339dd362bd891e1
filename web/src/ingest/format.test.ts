import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration } from './format.ts';
import { measure } from './uploader.ts';

// Intl separates number and unit with a (narrow) no-break space: compare with plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('upload progress wording', () => {
  it('sizes in decimal units, in the user’s language', () => {
    expect(plain(formatBytes(0, 'fr'))).toBe('0 o');
    expect(plain(formatBytes(12_345_678, 'fr'))).toBe('12,3 Mo');
    expect(plain(formatBytes(12_345_678, 'en'))).toBe('12.3 MB');
    expect(plain(formatBytes(3_200_000_000, 'fr'))).toBe('3,2 Go');
  });

  it('time left: the two largest parts', () => {
    expect(plain(formatDuration(8.2, 'en'))).toBe('9 secs');
    expect(plain(formatDuration(150, 'fr'))).toBe('2 min 30 s');
    expect(plain(formatDuration(3900, 'fr'))).toBe('1 h 5 min');
    expect(plain(formatDuration(7200, 'en'))).toBe('2 hrs');
  });

  it('speed and time left come from the bytes sent in this run only (a resumed upload does not look instant)', () => {
    expect(measure(1000, 400, 400, 0)).toEqual({ sent: 400, size: 1000, bytesPerSecond: null, secondsLeft: null });
    // 200 bytes in 2 s since the resume at 400: 100 B/s, 400 bytes left → 4 s.
    expect(measure(1000, 600, 400, 2000)).toEqual({ sent: 600, size: 1000, bytesPerSecond: 100, secondsLeft: 4 });
  });
});
