#!/usr/bin/env node
/**
 * Builds the batch HMAC addon (src/platform/crypto/hmac-native) with the node-gyp that npm
 * bundles, against this Node's own headers; nothing is downloaded. Run by `npm ci` (the
 * `install` script) and by `npm run build:native`.
 *
 * A failed build is not an error: the hub then uses `crypto.createHmac` per value (same output,
 * about ten times slower), and says so under NODE_DEBUG=hdh-crypto. `--strict` makes a failure
 * exit non-zero (for CI that wants the fast path).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const addonDir = path.join(root, 'src', 'platform', 'crypto', 'hmac-native');
const strict = process.argv.includes('--strict');

/** npm sets npm_config_node_gyp for lifecycle scripts; otherwise the copy bundled with npm beside node. */
function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(path.dirname(process.execPath), 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((c) => c && fs.existsSync(c)) ?? null;
}

/** Headers of the running Node: npm's `nodedir` setting, else the include/node folder beside the binary. */
function findNodeDir() {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  return fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h')) ? prefix : null;
}

function giveUp(reason) {
  console.warn(`hmac-native: not built (${reason}); pseudonyms will use crypto.createHmac per value, same output, slower.`);
  process.exit(strict ? 1 : 0);
}

const nodeGyp = findNodeGyp();
if (!nodeGyp) giveUp('node-gyp not found');
const nodeDir = findNodeDir();
if (!nodeDir) giveUp('Node headers not found (set npm nodedir)');

const started = Date.now();
const result = spawnSync(process.execPath, [nodeGyp, 'rebuild', `--nodedir=${nodeDir}`, '--loglevel=warn'], {
  cwd: addonDir,
  stdio: ['ignore', 'pipe', 'pipe'],
  encoding: 'utf8',
});
if (result.status !== 0) {
  process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n').slice(-30).join('\n'));
  giveUp(result.error ? result.error.message : `node-gyp exited with ${result.status}`);
}
console.log(`hmac-native: built in ${((Date.now() - started) / 1000).toFixed(1)} s (${path.relative(root, path.join(addonDir, 'build', 'Release', 'hmac_native.node'))})`);
