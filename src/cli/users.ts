/** `hdh users …`: accounts from the console, as an operator (traced as system:cli). */
import type { Command } from 'commander';
import { createHub } from '../main.js';
import { systemActor } from '../platform/actor.js';
import { totpCode } from '../identity/totp.js';
import { readDemoCredentials } from '../demo/seed.js';
import { config, parseRoles } from './main.js';

export function registerUserCommands(program: Command): void {
  const users = program.command('users').description('Manage accounts');

  users.command('list').description('List accounts with roles and end-of-rights dates').action(async () => {
    const hub = await createHub(config(), { webDist: null });
    try {
      for (const u of await hub.services.identity.listUsers(systemActor('cli'))) {
        console.log(`${u.email.padEnd(32)} ${u.roles.join(',').padEnd(36)} until ${u.endOfRights} ${u.status}${u.secondFactor.totp ? '' : ' (no 2FA yet)'}`);
      }
    } finally {
      await hub.close();
    }
  });

  users
    .command('create')
    .description('Create an account')
    .requiredOption('--email <email>')
    .requiredOption('--name <displayName>')
    .requiredOption('--roles <roles>', 'comma-separated roles', parseRoles)
    .requiredOption('--until <date>', 'end-of-rights date YYYY-MM-DD (AUTH-03)')
    .option('--password <password>', 'initial password (else set by TOTP enrolment flow)')
    .action(async (o: { email: string; name: string; roles: ReturnType<typeof parseRoles>; until: string; password?: string }) => {
      const hub = await createHub(config(), { webDist: null });
      try {
        const u = await hub.services.identity.createUser(systemActor('cli'), { email: o.email, displayName: o.name, roles: o.roles, endOfRights: o.until, password: o.password });
        console.log(`Created ${u.email} (${u.id}); second factor to be enrolled at first login.`);
      } finally {
        await hub.close();
      }
    });

  users
    .command('totp <email>')
    .description('Print the current TOTP code of a demo account (demo hubs only; works while the hub runs)')
    .action(async (email: string) => {
      const cfg = config();
      if (!cfg.demo) throw new Error('hdh users totp is only available on a demo hub (HDH_DEMO=true)');
      // The demo credentials file, not the database: the running hub holds the embedded store's lock.
      const account = readDemoCredentials(cfg.dataDir)?.accounts.find((a) => a.email.toLowerCase() === email.toLowerCase());
      if (!account) throw new Error(`${email} is not a demo account of ${cfg.dataDir} (see demo-accounts.json)`);
      console.log(await totpCode(account.totpSecret, new Date()));
    });
}
