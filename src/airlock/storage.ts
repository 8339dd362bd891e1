/**
 * Released files — fichiers libérés: written once under `<dir>/<project>/<request>/`, read-only
 * (mode 0444), their SHA-256 kept in the database and checked on every read, so a file changed on
 * disk after its release is refused rather than served.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const sha256 = (data: Buffer | string): string => crypto.createHash('sha256').update(data).digest('hex');

export class AlteredFileError extends Error {
  constructor(readonly relativePath: string, readonly expected: string, readonly found: string | null) {
    super(`${relativePath}: expected SHA-256 ${expected}, found ${found ?? 'no file'}`);
    this.name = 'AlteredFileError';
  }
}

export class ReleaseStorage {
  constructor(readonly dir: string) {}

  /** `<project>/<request>/<file>-v<version>.csv` (or the attachment's own name), relative to the store. */
  static pathOf(projectId: string, requestId: string, name: string): string {
    return path.posix.join(projectId, requestId, name);
  }

  private full(relative: string): string {
    const full = path.resolve(this.dir, ...relative.split('/'));
    // Paths are built from ids, never from user input; a check costs nothing.
    if (!full.startsWith(path.resolve(this.dir) + path.sep)) throw new Error(`path outside the release store: ${relative}`);
    return full;
  }

  /**
   * Writes the content once (temp file, fsync, rename, chmod 0444). The same content already in
   * place is accepted (a retried release); different content is never overwritten.
   */
  write(relative: string, content: Buffer): { sha256: string; size: number } {
    const full = this.full(relative);
    const digest = sha256(content);
    if (fs.existsSync(full)) {
      const existing = sha256(fs.readFileSync(full));
      if (existing !== digest) throw new AlteredFileError(relative, digest, existing);
      return { sha256: digest, size: content.length };
    }
    fs.mkdirSync(path.dirname(full), { recursive: true, mode: 0o750 });
    const temp = `${full}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    const fd = fs.openSync(temp, 'wx', 0o600);
    try {
      fs.writeSync(fd, content);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.chmodSync(temp, 0o444);
    fs.renameSync(temp, full);
    return { sha256: digest, size: content.length };
  }

  /** The content, only if its SHA-256 is the one recorded at release. */
  read(relative: string, expectedSha256: string): Buffer {
    const full = this.full(relative);
    if (!fs.existsSync(full)) throw new AlteredFileError(relative, expectedSha256, null);
    const content = fs.readFileSync(full);
    const found = sha256(content);
    if (found !== expectedSha256) throw new AlteredFileError(relative, expectedSha256, found);
    return content;
  }

  /** For tests and operators: the absolute path of a stored file. */
  absolute(relative: string): string {
    return this.full(relative);
  }
}
