/**
 * The lake — où vivent les versions (releases) des données: `<lake>/releases/<name>/<version>/`,
 * one folder of Parquet files per release plus its `manifest.json` (tables, row counts, sha256
 * checksums, schema version, synthetic flag, generator parameters, creation time).
 *
 * A release is written into `<lake>/.tmp/…`, its files and folder fsynced, then renamed into
 * place: readers see a whole release or none. Releases are immutable; a new run is a new version.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const MANIFEST_SCHEMA_VERSION = 1;
const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const TABLE = /^[A-Za-z0-9_]{1,64}$/;

export interface ReleaseFile {
  /** Relative to the release folder, with forward slashes. */
  path: string;
  rows: number;
  bytes: number;
  sha256: string;
}

export interface ReleaseTable {
  name: string;
  rows: number;
  files: ReleaseFile[];
  /** Where the table's definition comes from (e.g. `DCIR/ER_PRS_F.json`). */
  schema?: string;
  /** Product folder of the table (BENEFICIAIRE, DCIR, PMSI…). */
  product?: string;
}

export interface ReleaseManifest {
  manifestVersion: number;
  name: string;
  version: number;
  synthetic: boolean;
  createdAt: string;
  generator?: { name: string; parameters: Record<string, unknown> };
  /** A producer's load: its file, the catalogue version it was checked against, the pseudonym key. */
  load?: ReleaseLoad;
  tables: ReleaseTable[];
}

export interface ReleaseLoad {
  id: string;
  table: string;
  fileSha256: string;
  catalogueVersion: number;
  pseudonymKey: { id: string; version: number } | null;
  mode: 'replace' | 'append';
  rowsRejected: number;
}

export interface PublishInput {
  synthetic: boolean;
  createdAt: Date;
  generator?: { name: string; parameters: Record<string, unknown> };
  load?: ReleaseLoad;
  /** Row counts per table; every Parquet file under `<table>/` is listed and checksummed. */
  tables: { name: string; rowsByFile: Record<string, number>; schema?: string; product?: string }[];
}

export class LakeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LakeError';
  }
}

export class Lake {
  constructor(readonly root: string) {}

  private releasesDir(name?: string): string {
    return name ? path.join(this.root, 'releases', name) : path.join(this.root, 'releases');
  }

  /** Removes drafts left by a crashed run (they never were releases); recent ones may belong to a running generation. */
  removeStaleDrafts(olderThanMs = 6 * 3_600_000): void {
    const dir = path.join(this.root, '.tmp');
    for (const entry of safeReaddir(dir)) {
      const p = path.join(dir, entry);
      if (Date.now() - fs.statSync(p).mtimeMs > olderThanMs) fs.rmSync(p, { recursive: true, force: true });
    }
  }

  beginRelease(name: string): ReleaseDraft {
    if (!NAME.test(name)) throw new LakeError(`invalid release name "${name}" (lowercase letters, digits, dashes)`);
    const dir = path.join(this.root, '.tmp', `${name}-${crypto.randomBytes(6).toString('hex')}`);
    fs.mkdirSync(dir, { recursive: true });
    return new ReleaseDraft(this, name, dir);
  }

  listReleases(name?: string): ReleaseManifest[] {
    const names = name ? [name] : safeReaddir(this.releasesDir());
    const out: ReleaseManifest[] = [];
    for (const n of names) {
      for (const v of safeReaddir(this.releasesDir(n))) {
        if (!/^\d+$/.test(v)) continue;
        const m = this.readManifest(n, Number(v));
        if (m) out.push(m);
      }
    }
    return out.sort((a, b) => a.name.localeCompare(b.name) || a.version - b.version);
  }

  readManifest(name: string, version: number): ReleaseManifest | null {
    if (!NAME.test(name) || !Number.isInteger(version)) return null;
    const file = path.join(this.releaseDir(name, version), 'manifest.json');
    if (!fs.existsSync(file)) return null;
    return JSON.parse(fs.readFileSync(file, 'utf8')) as ReleaseManifest;
  }

  releaseDir(name: string, version: number): string {
    return path.join(this.releasesDir(name), String(version));
  }

  /** Absolute paths of a table's Parquet files, or null when the release has no such table. */
  tableFiles(manifest: ReleaseManifest, table: string): string[] | null {
    const t = manifest.tables.find((x) => x.name === table);
    if (!t) return null;
    const dir = this.releaseDir(manifest.name, manifest.version);
    return t.files.map((f) => path.join(dir, ...f.path.split('/')));
  }

  /** @internal Called by a draft: moves it into place under the next free version. */
  commit(draft: ReleaseDraft, build: (version: number) => ReleaseManifest): ReleaseManifest {
    fs.mkdirSync(this.releasesDir(draft.name), { recursive: true });
    for (;;) {
      const existing = safeReaddir(this.releasesDir(draft.name)).filter((v) => /^\d+$/.test(v)).map(Number);
      const version = (existing.length ? Math.max(...existing) : 0) + 1;
      const manifest = build(version);
      writeFileSynced(path.join(draft.dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
      fsyncDir(draft.dir);
      const target = this.releaseDir(draft.name, version);
      try {
        // rename() of a folder onto an existing non-empty folder fails: a concurrent run got the number.
        fs.renameSync(draft.dir, target);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOTEMPTY' || (err as NodeJS.ErrnoException).code === 'EEXIST') continue;
        throw err;
      }
      fsyncDir(this.releasesDir(draft.name));
      return manifest;
    }
  }
}

export class ReleaseDraft {
  private done = false;
  constructor(
    private readonly lake: Lake,
    readonly name: string,
    readonly dir: string,
  ) {}

  /** Folder for a table's Parquet files inside the draft (created). */
  tableDir(table: string): string {
    if (!TABLE.test(table)) throw new LakeError(`invalid table name "${table}"`);
    const dir = path.join(this.dir, table);
    fs.mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Checksums and fsyncs every file, writes the manifest, renames the draft into place. */
  publish(input: PublishInput): ReleaseManifest {
    if (this.done) throw new LakeError('draft already published or aborted');
    const tables: ReleaseTable[] = input.tables.map((t) => {
      const files: ReleaseFile[] = Object.entries(t.rowsByFile)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([rel, rows]) => {
          const abs = path.join(this.dir, ...rel.split('/'));
          return { path: rel, rows, bytes: fs.statSync(abs).size, sha256: sha256File(abs) };
        });
      for (const dir of new Set(files.map((f) => path.dirname(path.join(this.dir, f.path))))) fsyncDir(dir);
      return { name: t.name, rows: files.reduce((s, f) => s + f.rows, 0), files, ...(t.schema ? { schema: t.schema } : {}), ...(t.product ? { product: t.product } : {}) };
    });
    const manifest = this.lake.commit(this, (version) => ({
      manifestVersion: MANIFEST_SCHEMA_VERSION,
      name: this.name,
      version,
      synthetic: input.synthetic,
      createdAt: input.createdAt.toISOString(),
      ...(input.generator ? { generator: input.generator } : {}),
      ...(input.load ? { load: input.load } : {}),
      tables,
    }));
    this.done = true;
    return manifest;
  }

  /** Deletes the draft: a failed run leaves nothing behind. */
  abort(): void {
    this.done = true;
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}

export function sha256File(file: string): string {
  const hash = crypto.createHash('sha256');
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let n: number;
    while ((n = fs.readSync(fd, buf, 0, buf.length, null)) > 0) hash.update(buf.subarray(0, n));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return hash.digest('hex');
}

function writeFileSynced(file: string, text: string): void {
  const fd = fs.openSync(file, 'w');
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
