/**
 * Where the real SNDS dictionary is: HDH_SCHEMA_SNDS_DIR, else ../shared/data/schema-snds beside
 * the repository. Absent: tests skip with a message — except under CI=true, where they must fail.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export function schemaSndsDir(): string | null {
  const dir = path.resolve(process.env.HDH_SCHEMA_SNDS_DIR ?? path.join(repoRoot, '..', 'shared', 'data', 'schema-snds'));
  if (fs.existsSync(path.join(dir, 'schemas'))) return dir;
  if (process.env.CI === 'true') throw new Error(`The SNDS dictionary is required under CI=true and was not found at ${dir} (set HDH_SCHEMA_SNDS_DIR).`);
  console.warn(`Skipping SNDS dictionary tests: ${dir} not found (set HDH_SCHEMA_SNDS_DIR to run them).`);
  return null;
}
