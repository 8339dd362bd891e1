import { describe, expect, it } from 'vitest';
import { newReceipt, parseReceipt, receiptHash } from './receipt.js';

describe('opposition receipt references', () => {
  it('are OPP- and four groups of four Crockford characters, different each time, and read back as themselves', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const r = newReceipt();
      expect(r).toMatch(/^OPP-[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
      expect(parseReceipt(r)).toEqual({ ok: true, receipt: r });
      seen.add(r);
    }
    expect(seen.size).toBe(500);
  });

  it('accept what a person types: lower case, spaces, no prefix, I/L for 1 and O for 0', () => {
    const r = newReceipt(() => Buffer.from([1, 0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]));
    const data = r.replace(/^OPP-/, '').replace(/-/g, '');
    expect(parseReceipt(data.toLowerCase())).toEqual({ ok: true, receipt: r });
    expect(parseReceipt(` opp ${data.match(/.{4}/g)!.join(' ')} `)).toEqual({ ok: true, receipt: r });
    expect(parseReceipt(r.replace('01', 'LO'))).toEqual({ ok: true, receipt: r });
  });

  it('catch every single-character typo and a swap of two neighbours through the check character', () => {
    const r = newReceipt(() => Buffer.from('a3f9c0b17e4d28f'));
    const data = r.replace(/^OPP-/, '').replace(/-/g, '');
    const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    for (let i = 0; i < data.length; i++) {
      for (const c of alphabet) {
        if (c === data[i]) continue;
        expect(parseReceipt(data.slice(0, i) + c + data.slice(i + 1))).toEqual({ ok: false, problem: 'check' });
      }
    }
    const swapped = data.charAt(1) + data.charAt(0) + data.slice(2);
    if (data[0] !== data[1]) expect(parseReceipt(swapped).ok).toBe(false);
    expect(parseReceipt('OPP-1234')).toEqual({ ok: false, problem: 'length' });
    expect(parseReceipt('OPP-1234-5678-9ABC-DEFU')).toEqual({ ok: false, problem: 'characters' });
  });

  it('are stored as a SHA-256 that differs from the reference and between references', () => {
    const a = newReceipt();
    const b = newReceipt();
    expect(receiptHash(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(receiptHash(a)).not.toContain(a.replace(/-/g, '').toLowerCase());
    expect(receiptHash(a)).not.toBe(receiptHash(b));
  });
});
