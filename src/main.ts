/**
 * Composition root: config → database → services → HTTP. Nothing else lives here; every arrow
 * is a constructor argument, never a shared global.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HubConfig } from './config.js';
import { AirlockService, type RegistryOutput } from './airlock/service.js';
import { registerAirlockRoutes } from './airlock/routes.js';
import { AlertService } from './alerts/service.js';
import { registerAlertRoutes } from './alerts/routes.js';
import { AuditService } from './audit/service.js';
import { registerAuditRoutes } from './audit/routes.js';
import { CatalogService } from './catalog/service.js';
import { registerCatalogRoutes } from './catalog/routes.js';
import { CharterService } from './charters/service.js';
import { registerCharterRoutes } from './charters/routes.js';
import { ensureInitialCharters } from './charters/initial.js';
import { AuthenticationService } from './identity/authentication.js';
import { registerIdentityRoutes } from './identity/routes.js';
import { registerProjectRoutes } from './projects/routes.js';
import { OptoutService } from './optout/service.js';
import { OPPOSITION_PUBLIC_PREFIX, registerOptoutRoutes } from './optout/routes.js';
import { CataloguePerimeter } from './projects/catalogue-perimeter.js';
import { ProjectService, type ProjectStatusChange } from './projects/service.js';
import { ExtractionService, type OptOutList } from './extraction/service.js';
import { registerExtractionRoutes } from './extraction/routes.js';
import { WorkspaceService } from './workspaces/service.js';
import { registerWorkspaceRoutes } from './workspaces/routes.js';
import { IdentityService } from './identity/service.js';
import { SessionStore } from './identity/sessions.js';
import { WebauthnService } from './identity/webauthn.js';
import { OidcService } from './identity/oidc.js';
import { systemActor } from './platform/actor.js';
import { systemClock, type Clock } from './platform/clock.js';
import { FieldCipher } from './platform/crypto/field-cipher.js';
import { loadSecrets, type LoadedSecrets } from './platform/crypto/secrets.js';
import { PseudonymKeyRing } from './platform/crypto/pseudonym.js';
import { hmacEngineInfo } from './platform/crypto/hmac-batch.js';
import { Signer } from './platform/crypto/signing.js';
import { databaseVersion, openDatabase, type OpenedDatabase } from './platform/db/database.js';
import { migrateToLatest } from './platform/db/migrate.js';
import { SmtpMailer } from './platform/mail/mailer.js';
import { buildApp, type HubApp } from './platform/http/app.js';
import { registerHealthRoutes } from './platform/http/health.js';
import { DuckDbEngine } from './platform/engine/duckdb.js';
import { extractionCluster } from './extraction/cluster.js';
import { Lake } from './platform/lake/lake.js';
import { SyntheticService } from './synthetic/service.js';
import { IngestService } from './ingest/service.js';
import { registerIngestRoutes } from './ingest/routes.js';
import { LinkageService } from './linkage/service.js';
import { registerLinkageRoutes } from './linkage/routes.js';
import { registerSyntheticRoutes } from './synthetic/routes.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface HubOptions {
  clock?: Clock;
  /** Embedded store only: start from this dump (tests load a migrated template in ~0.3 s). */
  pgliteTemplate?: Blob;
  /** Embedded store folder; defaults to <data dir>/pglite. `memory://` for tests. */
  pgliteDir?: string;
  webDist?: string | null;
  /** Log lines go here instead of stdout (tests scan them). */
  logStream?: { write(line: string): void };
  /** The opposition registry the extraction applies (PR-01); the opposition domain's service. */
  optOuts?: OptOutList;
}

export interface Hub {
  config: HubConfig;
  app: HubApp;
  database: OpenedDatabase;
  clock: Clock;
  secrets: LoadedSecrets;
  /** Pseudonymisation keys (DP-02..DP-05); each opening is audited (LOG-09). */
  pseudonyms: PseudonymKeyRing;
  services: {
    audit: AuditService;
    charters: CharterService;
    catalog: CatalogService;
    identity: IdentityService;
    auth: AuthenticationService;
    sessions: SessionStore;
    webauthn: WebauthnService;
    synthetic: SyntheticService;
    projects: ProjectService;
    ingest: IngestService;
    optout: OptoutService;
    extraction: ExtractionService;
    workspaces: WorkspaceService;
    linkage: LinkageService;
    airlock: AirlockService;
    alerts: AlertService;
  };
  close(): Promise<void>;
}

export async function createHub(config: HubConfig, options: HubOptions = {}): Promise<Hub> {
  const clock = options.clock ?? systemClock;
  const secrets = loadSecrets(config.secretsFile, { createIfMissing: config.demo });
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: options.pgliteDir ?? path.join(config.dataDir, 'pglite'),
    ...(options.pgliteTemplate ? { loadDataDir: options.pgliteTemplate } : {}),
  });
  try {
    const { db } = database;
    await migrateToLatest(db);

    const signer = new Signer(secrets.secrets.auditSealKey.id, secrets.secrets.auditSealKey.privateKeyPem);
    const audit = new AuditService({ db, clock, signer, sealFile: path.join(config.dataDir, 'audit-seals.jsonl') });
    const charters = new CharterService({ db, clock, audit });
    const identity = new IdentityService({ db, clock, audit, charters, accessReviewMonths: config.accessReviewMonths });
    const sessions = new SessionStore(clock, config.session);
    const auth = new AuthenticationService({
      db, clock, audit, sessions,
      cipher: new FieldCipher(secrets.secrets.fieldEncryptionKey),
      issuer: 'Health Data Hub',
      maxFailures: config.login.maxFailures,
      lockMs: config.login.lockMs,
    });
    const webauthn = new WebauthnService({
      db, clock, audit, sessions, auth,
      rpId: config.publicUrl.hostname,
      rpName: 'Health Data Hub',
      origin: config.publicUrl.origin,
      decoyKey: Buffer.from(crypto.hkdfSync('sha256', secrets.secrets.fieldEncryptionKey, 'hdh', 'webauthn-decoy-credential-ids', 32)),
    });
    const oidcService = config.oidc
      ? new OidcService({ db, clock, audit, sessions, settings: { ...config.oidc, redirectUri: new URL('/api/auth/oidc/callback', config.publicUrl).href } })
      : undefined;
    await ensureInitialCharters(db, charters);
    const pseudonyms = new PseudonymKeyRing(secrets.secrets.pseudonymisationKeys, async (access) => {
      await audit.recordStandalone({ actor: null, actorLabel: access.actorLabel, action: 'crypto.key_access', target: { type: 'pseudonym_key', id: `${access.key.id}@${access.key.version}` }, details: { purpose: access.purpose, ...(access.derivedFor ? { derivedFor: access.derivedFor } : {}) } });
    });
    const lake = new Lake(config.lakeDir);
    lake.removeStaleDrafts();
    const catalog = new CatalogService({ db, clock, audit });
    const statusListeners: ((change: ProjectStatusChange) => void)[] = [];
    const mailer = config.smtp ? new SmtpMailer(config.smtp.url, config.smtp.from) : undefined;
    // The registry lists the results published from the airlock, built after the projects.
    let publishedOutputs = (_projectIds: string[]) => Promise.resolve(new Map<string, RegistryOutput[]>());
    const projects = new ProjectService({ db, clock, audit, charters, identity, catalogue: new CataloguePerimeter(catalog), projectsDir: path.join(config.dataDir, 'projects'), reviewMonths: config.accessReviewMonths, mailer, onStatusChanged: (change) => statusListeners.forEach((l) => l(change)), publishedOutputs: (ids) => publishedOutputs(ids) });
    const optout = new OptoutService({ db, clock, audit, pseudonyms });
    // The extraction reads the registry as the system (PR-01): lake pseudonyms never reach a person.
    const optOuts: OptOutList = options.optOuts ?? { source: 'opposition registry (optout)', optedOutPseudonyms: (key) => optout.optedOutPseudonyms(systemActor('extraction'), key) };
    let logError = (err: unknown) => console.error(err);
    const extraction = new ExtractionService({
      db, clock, audit, lake, engine: new DuckDbEngine(), pseudonyms, catalog, projects, optOuts,
      ...(config.engine === 'clickhouse' && config.clickhouse ? { cluster: extractionCluster(config.clickhouse, lake, config.dataDir) } : {}),
      workspacesDir: config.workspacesDir, memoryLimit: config.extraction.memoryLimit, threads: config.extraction.threads, onError: (err) => logError(err),
    });
    const workspaces = new WorkspaceService({ db, clock, audit, projects, extraction, catalog, identity, charters, workspacesDir: config.workspacesDir, limits: config.workspace, tokenMaxDays: config.workspace.tokenMaxDays, onError: (err) => logError(err) });
    // Provisioning starts the extraction; the project's end closes the workspace and deletes its data.
    statusListeners.push((c) => extraction.onProjectStatusChanged(c), (c) => workspaces.onProjectStatusChanged(c));
    await workspaces.recover();
    // LOG-08: alerts go to the security officers (listed, and e-mailed when SMTP is configured).
    const alerts = new AlertService({
      db, clock, audit, mailer,
      recipients: async () => (await identity.listUsers(systemActor('alerts'))).filter((u) => u.status === 'active' && u.roles.includes('security_officer')).map((u) => ({ email: u.email, locale: u.locale })),
    });
    const airlock = new AirlockService({ db, clock, audit, projects, catalog, workspaces, alerts, dir: config.airlock.dir, largeExport: config.airlock.largeExport });
    publishedOutputs = (ids) => airlock.releases.registryOutputs(ids);
    const synthetic = new SyntheticService({
      lake, engine: new DuckDbEngine(), catalogueRoots: [path.join(repoRoot, 'data', 'demo-catalogue')], clock, audit,
      // Every published release is listed in the catalogue (downloads, DCAT distributions).
      onPublished: (release) => catalog.distributions.registerRelease(systemActor('synthetic'), release),
    });
    const linkage = new LinkageService({ db, clock, audit, lake, engine: new DuckDbEngine(), pseudonyms, dir: path.join(config.dataDir, 'linkage') });
    await linkage.recover();

    const ingest = new IngestService({ db, clock, audit, catalog, keys: pseudonyms, engine: new DuckDbEngine(), lake, dir: path.join(config.dataDir, 'ingest'), chunkBytes: config.ingest.chunkBytes, memoryLimit: config.ingest.memoryLimit });
    await ingest.recoverInterrupted();

    const webDist = options.webDist === null ? undefined : (options.webDist ?? path.join(repoRoot, 'dist', 'web'));
    const app = await buildApp({
      logLevel: config.logLevel,
      bodyLimit: config.bodyLimit,
      trustProxy: config.trustProxy,
      tls: config.tls,
      publicOrigin: config.publicUrl.origin,
      webDist,
      authRateLimit: config.authRateLimit ?? undefined,
      routeRateLimits: config.oppositionRateLimit ? [{ prefix: OPPOSITION_PUBLIC_PREFIX, ...config.oppositionRateLimit }] : [],
      logStream: options.logStream,
      async resolveSession(request, token) {
        const found = await sessions.resolve(db, token, (d, idHash) => identity.sessionContext(d, idHash));
        if (!found) return null;
        if (found.expired) {
          await audit.recordStandalone({ actor: null, actorLabel: found.row.user_id, action: 'auth.session_expired', target: { type: 'user', id: found.row.user_id }, ip: request.ip, details: { reason: found.expired } });
          return { actor: null, csrfToken: '', expired: found.expired, level: found.row.level };
        }
        const actor = identity.actorForSession(found.row, request.ip);
        if (!actor) {
          await sessions.revoke(db, found.row.id_hash);
          return null;
        }
        return { actor, csrfToken: found.row.csrf_token, level: found.row.level };
      },
    });

    app.log.debug({ engine: hmacEngineInfo() }, 'pseudonym HMAC engine');
    registerHealthRoutes(app, { database: database.kind, version: () => databaseVersion(db) });
    registerIdentityRoutes(app, {
      identity, auth, webauthn, tls: config.tls,
      sessionMaxMs: config.session.maxMs,
      idleTimeoutSeconds: Math.round(config.session.idleMs / 1000),
      oidc: { enabled: !!config.oidc, label: config.oidc?.label ?? '' },
      oidcService,
    });
    registerCharterRoutes(app, charters);
    registerAuditRoutes(app, audit);
    registerSyntheticRoutes(app, synthetic);
    registerCatalogRoutes(app, catalog, { baseUrl: config.publicUrl.origin });
    registerProjectRoutes(app, projects);
    registerIngestRoutes(app, ingest);
    registerOptoutRoutes(app, optout);
    registerExtractionRoutes(app, extraction);
    registerWorkspaceRoutes(app, workspaces);
    registerAirlockRoutes(app, airlock);
    registerAlertRoutes(app, alerts);
    logError = (err) => app.log.error({ err }, 'background task failed');
    registerLinkageRoutes(app, linkage, { maxUploadBytes: 20 * 2 ** 30 });
    await app.ready();

    return {
      config, app, database, clock, secrets, pseudonyms,
      services: { audit, charters, catalog, identity, auth, sessions, webauthn, synthetic, projects, ingest, optout, linkage, extraction, workspaces, airlock, alerts },
      async close() {
        await workspaces.shutdown();
        await extraction.settled();
        await workspaces.jobs.settled();
        await app.close();
        await database.close();
      },
    };
  } catch (err) {
    await database.close().catch(() => undefined);
    throw err;
  }
}
