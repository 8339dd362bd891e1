/**
 * Where project documents live: `<data dir>/projects/<project id>/documents/<document id>`, one
 * file per version, written atomically (temporary name, then rename) and never overwritten.
 */
import fs from 'node:fs';
import path from 'node:path';

export class DocumentStore {
  constructor(private readonly root: string) {}

  private folder(projectId: string): string {
    return path.join(this.root, projectId, 'documents');
  }

  /** Writes a new version; returns its full path (the caller deletes it if the transaction fails). */
  write(projectId: string, documentId: string, content: Buffer): string {
    const dir = this.folder(projectId);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const target = path.join(dir, documentId);
    const temp = `${target}.part`;
    fs.writeFileSync(temp, content, { mode: 0o600, flag: 'wx' });
    fs.renameSync(temp, target);
    return target;
  }

  read(projectId: string, storedName: string): Buffer {
    // Stored names are our own uuids; basename keeps a tampered row from leaving the folder.
    return fs.readFileSync(path.join(this.folder(projectId), path.basename(storedName)));
  }

  remove(fullPath: string): void {
    fs.rmSync(fullPath, { force: true });
  }
}
