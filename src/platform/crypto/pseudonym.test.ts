import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacHexBatch, PseudonymKeyRing, type KeyAccess } from './pseudonym.js';

const key = (byte: number, version = 1, id = 'k') => ({ id, version, key: Buffer.alloc(32, byte).toString('base64') });

describe('keyed pseudonyms', () => {
  it('DP-02: HMAC-SHA-256 matches the RFC 4231 test vectors', () => {
    expect(hmacHexBatch(Buffer.alloc(20, 0x0b), ['Hi There'])).toEqual(['b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7']);
    expect(hmacHexBatch(Buffer.from('Jefe'), ['what do ya want for nothing?'])).toEqual(['5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843']);
    expect(hmacHexBatch(Buffer.alloc(131, 0xaa), ['Test Using Larger Than Block-Size Key - Hash Key First'])).toEqual(['60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54']);
    expect(hmacHexBatch(Buffer.alloc(131, 0xaa), ['This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.'])).toEqual(['9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2']);
  });

  it('DP-02, DP-05: same NIR → same pseudonym under one key, different under another key or version', async () => {
    const ring = new PseudonymKeyRing([key(1, 1, 'a'), key(2, 2, 'a')], () => undefined);
    expect(ring.current()).toEqual({ id: 'a', version: 2 });
    const v2 = await ring.open('test', 'tester');
    const v1 = await ring.open('test', 'tester', { id: 'a', version: 1 });
    const [p1, p1again, other] = v2.pseudonymise(['1841275123456', '1841275123456', '1841275123457']);
    expect(p1).toBe(p1again);
    expect(p1).toMatch(/^[0-9a-f]{64}$/);
    expect(other).not.toBe(p1);
    expect(v1.pseudonymise(['1841275123456'])[0]).not.toBe(p1);
    await expect(ring.open('test', 'tester', { id: 'a', version: 9 })).rejects.toThrow(/Unknown pseudonymisation key a v9/);
  });

  it('DP-03, DP-04: a project key is derived per project; pseudonyms differ between projects and from the lake', async () => {
    const ring = new PseudonymKeyRing([key(7)], () => undefined);
    const nir = ['2950533063001'];
    const lake = (await ring.open('ingest', 'x')).pseudonymise(nir)[0];
    const a = (await ring.openForProject('project-a', 'x')).pseudonymise(nir)[0];
    const b = (await ring.openForProject('project-b', 'x')).pseudonymise(nir)[0];
    expect(new Set([lake, a, b]).size).toBe(3);
    expect((await ring.openForProject('project-a', 'x')).pseudonymise(nir)[0]).toBe(a);
  });

  it('LOG-09: every opening of a key is reported, and neither the ring nor a pseudonymiser serialises its secret', async () => {
    const accesses: KeyAccess[] = [];
    const material = key(9);
    const ring = new PseudonymKeyRing([material], (a) => void accesses.push(a));
    const p = await ring.open('ingest', 'producteur@hdh.example');
    await ring.openForProject('p1', 'system:extraction');
    expect(accesses).toEqual([
      { key: { id: 'k', version: 1 }, purpose: 'ingest', actorLabel: 'producteur@hdh.example' },
      { key: { id: 'k', version: 1 }, purpose: 'extraction:p1', actorLabel: 'system:extraction', derivedFor: 'p1' },
    ]);
    const printed = JSON.stringify({ ring, p });
    expect(printed).not.toContain(material.key);
    expect(printed).not.toContain(Buffer.from(material.key, 'base64').toString('hex'));
  });

  it('DP-05: refs() lists every key version held, newest first, and opens nothing', () => {
    const opened: KeyAccess[] = [];
    const ring = new PseudonymKeyRing([key(1, 1, 'a'), key(3, 3, 'b@x'), key(2, 2, 'a')], (a) => void opened.push(a));
    expect(ring.refs()).toEqual([{ id: 'b@x', version: 3 }, { id: 'a', version: 2 }, { id: 'a', version: 1 }]);
    expect(opened).toEqual([]);
  });

  it('refuses keys shorter than 32 bytes', () => {
    expect(() => new PseudonymKeyRing([{ id: 'x', version: 1, key: crypto.randomBytes(16).toString('base64') }], () => undefined)).toThrow(/shorter than 32 bytes/);
  });
});
