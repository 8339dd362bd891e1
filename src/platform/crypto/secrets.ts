/**
 * Secrets come from a file named by HDH_SECRETS_FILE (default <data dir>/secrets.json), never
 * from the database or the repository. A demo start without the file generates one (mode 0600)
 * and says where it is; a production start (HDH_DEMO=false) without it refuses to start.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const secretsSchema = z.object({
  /** Encrypts second-factor secrets at rest (AES-256-GCM), base64 of 32 bytes. */
  fieldEncryptionKey: z.string().min(40),
  /** Signs the daily audit seals (LOG-05): Ed25519 private key, PKCS#8 PEM. */
  auditSealKey: z.object({ id: z.string().min(1), privateKeyPem: z.string().includes('PRIVATE KEY') }),
  /** Keyed pseudonyms (DP-02..DP-05): each key has an id and a version for rotation. */
  pseudonymisationKeys: z
    .array(z.object({ id: z.string().min(1), version: z.number().int().positive(), key: z.string().min(40) }))
    .min(1),
});

export type HubSecrets = z.infer<typeof secretsSchema>;

export class SecretsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretsError';
  }
}

export function generateSecrets(): HubSecrets {
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  const stamp = new Date().toISOString().slice(0, 10);
  return {
    fieldEncryptionKey: crypto.randomBytes(32).toString('base64'),
    auditSealKey: {
      id: `seal-${stamp}-${crypto.randomBytes(3).toString('hex')}`,
      privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    },
    pseudonymisationKeys: [
      { id: `pseudo-${crypto.randomBytes(3).toString('hex')}`, version: 1, key: crypto.randomBytes(32).toString('base64') },
    ],
  };
}

export interface LoadedSecrets {
  secrets: HubSecrets;
  file: string;
  created: boolean;
}

export function loadSecrets(file: string, options: { createIfMissing: boolean }): LoadedSecrets {
  if (!fs.existsSync(file)) {
    if (!options.createIfMissing) {
      throw new SecretsError(
        `No secrets file at ${file} (HDH_SECRETS_FILE). Create one with \`hdh secrets init\`, or start in demo mode.`,
      );
    }
    const secrets = generateSecrets();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' });
    return { secrets, file, created: true };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new SecretsError(`Secrets file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = secretsSchema.safeParse(raw);
  if (!parsed.success) {
    const where = parsed.error.issues.map((i) => `/${i.path.join('/')}: ${i.message}`).join('; ');
    throw new SecretsError(`Secrets file ${file} is invalid: ${where}`);
  }
  return { secrets: parsed.data, file, created: false };
}
