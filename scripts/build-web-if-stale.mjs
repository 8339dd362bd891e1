#!/usr/bin/env node
/**
 * Builds the web UI (`npm run build:web`) only when dist/web is missing or older than a file of
 * web/ or the lockfile. `npm start` and the browser tests call it, so a fresh clone just works
 * and a second start costs nothing.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const builtMarker = path.join(root, 'dist', 'web', 'index.html');
const sources = [path.join(root, 'web'), path.join(root, 'package-lock.json')];

function newestMtime(entry) {
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of fs.readdirSync(entry)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    newest = Math.max(newest, newestMtime(path.join(entry, name)));
  }
  return newest;
}

function staleReason() {
  if (!fs.existsSync(builtMarker)) return 'dist/web is missing';
  const built = fs.statSync(builtMarker).mtimeMs;
  const changed = sources.filter((s) => fs.existsSync(s) && newestMtime(s) > built);
  return changed.length ? `${changed.map((c) => path.relative(root, c)).join(', ')} changed since the last build` : null;
}

/**
 * Two callers at once (parallel browser-test files, `npm start` during a test) must not both
 * write dist/web: a lock folder serialises them, and the second finds the build fresh.
 */
const lockDir = path.join(root, 'dist', '.web-build.lock');
const STALE_LOCK_MS = 5 * 60_000;

async function withLock(fn) {
  fs.mkdirSync(path.dirname(lockDir), { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      const age = Date.now() - (fs.statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) fs.rmSync(lockDir, { recursive: true, force: true });
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

const status = await withLock(() => {
  const reason = staleReason();
  if (!reason) {
    console.log('web UI up to date (dist/web)');
    return 0;
  }
  console.log(`building the web UI: ${reason}`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', 'build:web'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) console.error('web UI build failed');
  return result.status ?? 1;
});
process.exit(status);
