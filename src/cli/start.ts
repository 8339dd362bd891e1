/** `hdh start`: open the stores, seed a demo hub on first start, serve, seal the audit log daily. */
import type { HubConfig } from '../config.js';
import path from 'node:path';
import { describeDemoCatalogue, loadDemoCatalogue } from '../catalog/demo-catalogue.js';
import { createHub, repoRoot } from '../main.js';
import { linkDemoProducers, readDemoCredentials, seedDemoAccounts, type DemoCredentials } from '../demo/seed.js';
import { reportFatal } from './main.js';
import { ensureDemoSyntheticRelease } from '../synthetic/service.js';

export async function startServer(config: HubConfig): Promise<void> {
  const started = performance.now();
  let hub;
  try {
    hub = await createHub(config);
  } catch (err) {
    process.exit(reportFatal(err));
  }
  if (hub.secrets.created) console.log(`Generated new secrets in ${hub.secrets.file} (mode 0600): keep it apart from the database and back it up.`);
  let demo: DemoCredentials | null = null;
  if (config.demo) demo = (await seedDemoAccounts(hub)) ?? readDemoCredentials(config.dataDir);
  if (config.demo) await ensureDemoSyntheticRelease(hub.services.synthetic);
  if (config.demo) console.log(describeDemoCatalogue(await loadDemoCatalogue(hub.services.catalog, path.join(repoRoot, 'data', 'demo-catalogue'))));
  if (config.demo) await linkDemoProducers(hub);

  const sealed = await hub.services.audit.sealCompletedDays();
  if (sealed.length) console.log(`Sealed audit days: ${sealed.join(', ')}`);
  // After downtime, a legal time limit may have passed: apply tacit outcomes now, not an hour later.
  await hub.services.projects.applyDueTacitOutcomes();
  await hub.services.workspaces.hourly();
  const sealer = setInterval(() => {
    hub.services.audit.sealCompletedDays().catch((err: unknown) => hub.app.log.error({ err }, 'audit sealing failed'));
    hub.services.projects.applyDueTacitOutcomes().catch((err: unknown) => hub.app.log.error({ err }, 'tacit outcomes failed'));
    // Workspaces past their project's end close and their data is deleted (DP-13); new lake releases are extracted.
    hub.services.workspaces.hourly().catch((err: unknown) => hub.app.log.error({ err }, 'workspace closure failed'));
    hub.services.extraction.refreshAll().catch((err: unknown) => hub.app.log.error({ err }, 'extract refresh failed'));
    // LOG-08 alerts whose e-mail failed are sent again.
    hub.services.alerts.dispatchEmails().catch((err: unknown) => hub.app.log.error({ err }, 'alert e-mails failed'));
  }, 3_600_000);
  sealer.unref();

  await hub.app.listen({ host: config.host, port: config.port });
  const address = hub.app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host}:${port}`;
  console.log(`\nHealth Data Hub ready in ${Math.round(performance.now() - started)} ms on ${url}  (store: ${hub.database.kind}, data: ${config.dataDir})`);
  console.log(`  API: ${url}/api   OpenAPI: ${url}/api/docs`);
  if (demo) printDemo(demo, config.dataDir);

  const shutdown = async (signal: string) => {
    console.log(`\n${signal}: stopping…`);
    clearInterval(sealer);
    await hub.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

function printDemo(demo: DemoCredentials, dataDir: string): void {
  console.log(`\nDemo accounts (synthetic people), password for all: ${demo.password}`);
  for (const a of demo.accounts) console.log(`  ${a.email.padEnd(30)} ${a.roles.join(', ').padEnd(32)} TOTP secret ${a.totpSecret}`);
  console.log(`\nSecond factor: add a secret above to an authenticator app, or print a current code with`);
  console.log(`  npx hdh users totp <email>`);
  console.log(`Passwords and secrets are also in ${dataDir}/demo-accounts.json (mode 0600).`);
}
