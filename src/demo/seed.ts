/**
 * Demo accounts — comptes de démonstration: on the first start of a demo hub, one account per
 * role, all synthetic people, with TOTP already enrolled. The password and TOTP secrets go to
 * <data dir>/demo-accounts.json (mode 0600) and are printed once; `hdh users totp EMAIL`
 * prints a current code later.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { systemActor, type Role } from '../platform/actor.js';
import { utcDay } from '../platform/clock.js';
import type { Hub } from '../main.js';

export interface DemoAccount {
  email: string;
  displayName: string;
  roles: Role[];
  organisation: string;
  totpSecret: string;
}

export interface DemoCredentials {
  password: string;
  accounts: DemoAccount[];
}

const organisations = [
  { name: 'Health Data Hub (démo)', kind: 'hub' },
  { name: 'Caisse nationale (démo)', kind: 'producer' },
  { name: 'Équipe de recherche (démo)', kind: 'research' },
] as const;

const people: Omit<DemoAccount, 'totpSecret'>[] = [
  { email: 'admin@hdh.example', displayName: 'Alice Administratrice', roles: ['administrator'], organisation: organisations[0].name },
  { email: 'securite@hdh.example', displayName: 'Samir Sécurité', roles: ['security_officer'], organisation: organisations[0].name },
  { email: 'instructeur@hdh.example', displayName: 'Inès Instructrice', roles: ['hub_instructor'], organisation: organisations[0].name },
  { email: 'relecteur1@hdh.example', displayName: 'Romain Relecteur', roles: ['output_reviewer'], organisation: organisations[0].name },
  { email: 'relecteur2@hdh.example', displayName: 'Rachel Relectrice', roles: ['output_reviewer'], organisation: organisations[0].name },
  { email: 'producteur@cnam.example', displayName: 'Paul Producteur', roles: ['data_producer'], organisation: organisations[1].name },
  { email: 'porteur@recherche.example', displayName: 'Laura Porteuse', roles: ['project_lead', 'project_member'], organisation: organisations[2].name },
  { email: 'chercheur@recherche.example', displayName: 'Marc Chercheur', roles: ['project_member'], organisation: organisations[2].name },
];

export function demoCredentialsFile(dataDir: string): string {
  return path.join(dataDir, 'demo-accounts.json');
}

/** Creates the demo organisations and accounts unless an administrator already exists. */
export async function seedDemoAccounts(hub: Hub): Promise<DemoCredentials | null> {
  const { db } = hub.database;
  const existing = await db.selectFrom('user_roles').select('user_id').where('role', '=', 'administrator').limit(1).executeTakeFirst();
  if (existing) return null;
  const actor = systemActor('demo-seed');
  const password = `demo-${crypto.randomBytes(6).toString('base64url')}`;
  const end = new Date(hub.clock.now());
  end.setUTCFullYear(end.getUTCFullYear() + 1);
  const credentials = await db.transaction().execute(async (tx) => {
    const orgIds = new Map<string, string>();
    for (const org of organisations) orgIds.set(org.name, (await hub.services.identity.createOrganisation(actor, org, tx)).id);
    const accounts: DemoAccount[] = [];
    for (const person of people) {
      const user = await hub.services.identity.createUser(actor, { email: person.email, displayName: person.displayName, roles: person.roles, organisationId: orgIds.get(person.organisation), endOfRights: utcDay(end), password }, tx);
      const { secret } = await hub.services.auth.provisionTotp(tx, user.id);
      accounts.push({ ...person, totpSecret: secret });
    }
    return { password, accounts };
  });
  const file = demoCredentialsFile(hub.config.dataDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  return credentials;
}

export function readDemoCredentials(dataDir: string): DemoCredentials | null {
  const file = demoCredentialsFile(dataDir);
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as DemoCredentials) : null;
}

/**
 * Links the demo catalogue's producers to the demo organisations, so the demo producer account
 * may load the tables of the Cnam's datasets (ingest policy). Idempotent; a no-op without them.
 */
export async function linkDemoProducers(hub: Hub): Promise<void> {
  const org = await hub.database.db.selectFrom('organisations').select('id').where('name', '=', organisations[1].name).executeTakeFirst();
  if (!org) return;
  const producer = (await hub.services.catalog.listProducers()).find((p) => p.slug === 'cnam');
  if (!producer || producer.organisationId) return;
  await hub.services.catalog.updateProducer(systemActor('demo-seed'), 'cnam', { organisationId: org.id });
}
