/**
 * Opposition tests: a hub whose ring holds two versions of the pseudonymisation key (a rotation
 * happened), with every log line captured, and a scan of every table of the store.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateSecrets, type HubSecrets } from '../../src/platform/crypto/secrets.js';
import { startTestHub, type StoreKind, type TestHub } from './hub.js';

export interface OptoutTestHub extends TestHub {
  secrets: HubSecrets;
  logLines: string[];
}

export async function startOptoutTestHub(store: StoreKind, env: Record<string, string> = {}): Promise<OptoutTestHub> {
  const secrets = generateSecrets();
  const id = secrets.pseudonymisationKeys[0]!.id;
  secrets.pseudonymisationKeys.push({ id, version: 2, key: crypto.randomBytes(32).toString('base64') });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hdh-optout-secrets-'));
  const secretsFile = path.join(dir, 'secrets.json');
  fs.writeFileSync(secretsFile, JSON.stringify(secrets), { mode: 0o600 });
  const logLines: string[] = [];
  // Trace level: request logging on, the most a deployment could print.
  const t = await startTestHub(store, { HDH_SECRETS_FILE: secretsFile, HDH_LOG_LEVEL: 'trace', HDH_OPPOSITION_RATE_LIMIT_PER_HOUR: '0', ...env }, { logStream: { write: (line) => void logLines.push(line) } });
  const close = t.close.bind(t);
  return Object.assign(t, {
    secrets,
    logLines,
    async close() {
      await close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  });
}

/** Every row of every table of the store, as text, keyed by table name. */
export async function everyTableAsText(t: TestHub): Promise<Map<string, string>> {
  const tables = (await t.superuserSql(`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`)) as { table_name: string }[];
  const out = new Map<string, string>();
  for (const { table_name } of tables) {
    const rows = (await t.superuserSql(`select t::text as row from "${table_name}" t`)) as { row: string }[];
    out.set(table_name, rows.map((r) => r.row).join('\n'));
  }
  return out;
}
