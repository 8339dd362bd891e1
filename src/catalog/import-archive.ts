/**
 * Import from the admin UI: the same all-or-nothing import as `hdh catalog import`, from a .zip
 * of a Frictionless folder (schemas/, nomenclatures/, optional datasets.json). The archive is
 * unpacked into a private temporary folder — entries escaping it, links and oversized archives
 * are refused — then imported, and the folder removed whatever happens.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import type { AnyActor } from '../platform/actor.js';
import { HdhError, registerMessages } from '../platform/errors.js';
import { DATASETS_FILE, readDatasetsFile } from './demo-catalogue.js';
import { assertCanImportCatalogue } from './policy.js';
import type { ImportResult } from './schema.js';
import type { CatalogService } from './service.js';

registerMessages({
  'catalog.archive_invalid': { fr: 'Archive refusée : {reason}', en: 'Archive refused: {reason}' },
});

/** Unpacked size ceiling: the whole SNDS dictionary is ~40 MB. */
export const MAX_UNPACKED_BYTES = 512 * 2 ** 20;

function refuse(reason: string, entry?: string): never {
  throw new HdhError('catalog.archive_invalid', 400, { reason }, entry ? [{ location: `archive:${entry}`, message: reason }] : undefined);
}

/** Unpacks into `into`; returns the folder holding `schemas/` (the archive's root or its single top folder). */
export function unpackArchive(zip: Uint8Array, into: string): string {
  let total = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip, {
      filter: (f) => {
        total += f.originalSize;
        if (total > MAX_UNPACKED_BYTES) refuse(`more than ${MAX_UNPACKED_BYTES / 2 ** 20} MiB once unpacked`);
        return true;
      },
    });
  } catch (err) {
    if (err instanceof HdhError) throw err;
    refuse(`not a readable .zip (${(err as Error).message})`);
  }
  for (const [name, data] of Object.entries(files)) {
    const target = path.resolve(into, name);
    if (name.includes('\0') || path.isAbsolute(name) || !target.startsWith(path.resolve(into) + path.sep)) refuse('an entry points outside the archive', name);
    if (name.endsWith('/')) {
      fs.mkdirSync(target, { recursive: true });
      continue;
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, data, { flag: 'wx' });
  }
  if (fs.existsSync(path.join(into, 'schemas'))) return into;
  const tops = fs.readdirSync(into).filter((n) => fs.statSync(path.join(into, n)).isDirectory());
  if (tops.length === 1 && fs.existsSync(path.join(into, tops[0]!, 'schemas'))) return path.join(into, tops[0]!);
  return refuse('no schemas/ folder at the top of the archive (or in its single top folder)');
}

export async function importArchive(catalog: CatalogService, actor: AnyActor, zip: Uint8Array, options: { source: string; productDatasets?: boolean }): Promise<ImportResult> {
  assertCanImportCatalogue(actor);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-catalog-upload-'));
  try {
    const root = unpackArchive(zip, dir);
    const datasetsPath = path.join(root, DATASETS_FILE);
    const datasets = fs.existsSync(datasetsPath) ? readDatasetsFile(datasetsPath) : undefined;
    return await catalog.importFolder(actor, root, { source: options.source, ...(datasets ? { datasets } : {}), productDatasets: options.productDatasets ?? true });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
