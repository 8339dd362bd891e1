import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AlteredFileError, ReleaseStorage, sha256 } from './storage.js';

describe('released files (EXP-08)', () => {
  const dirs: string[] = [];
  const store = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-airlock-'));
    dirs.push(dir);
    return new ReleaseStorage(dir);
  };
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('EXP-08: a file is written once, read-only, and read back only while its SHA-256 matches', () => {
    const s = store();
    const rel = ReleaseStorage.pathOf('p', 'r', 'f-v1.csv');
    const content = Buffer.from('age,n\n18-39,120\n');
    expect(s.write(rel, content)).toEqual({ sha256: sha256(content), size: content.length });
    expect(fs.statSync(s.absolute(rel)).mode & 0o777).toBe(0o444);
    expect(s.read(rel, sha256(content)).equals(content)).toBe(true);
    // The same bytes again (a retried release) are accepted; other bytes never overwrite.
    expect(s.write(rel, content).sha256).toBe(sha256(content));
    expect(() => s.write(rel, Buffer.from('age,n\n18-39,4\n'))).toThrow(AlteredFileError);
    fs.chmodSync(s.absolute(rel), 0o644);
    fs.writeFileSync(s.absolute(rel), 'age,n\n18-39,4\n');
    expect(() => s.read(rel, sha256(content))).toThrow(AlteredFileError);
    fs.rmSync(s.absolute(rel));
    expect(() => s.read(rel, sha256(content))).toThrow(/no file/);
    expect(fs.readdirSync(path.dirname(s.absolute(rel)))).toEqual([]);
  });

  it('paths stay inside the store', () => {
    expect(() => store().read('../../etc/passwd', 'x')).toThrow(/outside/);
  });
});
