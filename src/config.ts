/**
 * The only reader of process.env. Every setting is an `HDH_*` variable, validated here so the
 * hub fails at start with a message naming the variable, never later with a confusing error.
 */
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const envSchema = z.object({
  HDH_HOST: z.string().default('127.0.0.1'),
  HDH_PORT: int(0, 65535).default(3000),
  HDH_PUBLIC_URL: z.url().optional(),
  HDH_DATA_DIR: z.string().default('./.hdh'),
  HDH_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  HDH_SECRETS_FILE: z.string().optional(),
  HDH_DEMO: bool.default(true),
  HDH_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HDH_SESSION_IDLE_MINUTES: int(1, 24 * 60).default(30),
  HDH_SESSION_MAX_HOURS: int(1, 7 * 24).default(12),
  HDH_LOGIN_MAX_FAILURES: int(1, 100).default(5),
  HDH_LOGIN_LOCK_MINUTES: int(1, 24 * 60).default(15),
  HDH_ACCESS_REVIEW_MONTHS: int(1, 36).default(12),
  HDH_BODY_LIMIT_BYTES: int(1024, 1024 * 1024 * 1024).default(1024 * 1024),
  HDH_TRUST_PROXY: bool.default(false),
  HDH_OIDC_ISSUER: z.url().optional(),
  HDH_OIDC_CLIENT_ID: z.string().optional(),
  HDH_OIDC_CLIENT_SECRET: z.string().optional(),
  HDH_OIDC_LABEL: z.string().default('ProConnect'),
  HDH_OIDC_TRUSTS_MFA: bool.default(false),
  /** Requests per minute and per client IP on `/api/auth/*`; 0 turns the limit off. */
  HDH_AUTH_RATE_LIMIT_PER_MINUTE: int(0, 1_000_000).default(20),
  /** Requests per hour and per client IP on the public opposition form (record, withdraw); 0 turns the limit off. */
  HDH_OPPOSITION_RATE_LIMIT_PER_HOUR: int(0, 1_000_000).default(30),
  /** Size of the chunks a producer's upload is sent in (bytes). */
  HDH_INGEST_CHUNK_BYTES: int(4096, 256 * 1024 * 1024).default(8 * 1024 * 1024),
  /** DuckDB memory ceiling of one load's validation (it spills to the load's working folder beyond). */
  HDH_INGEST_MEMORY: z.string().regex(/^\d+(\.\d+)?\s*(MB|GB|MiB|GiB)$/i).default('2GB'),
  /** `clickhouse`: the lake is also loaded into a ClickHouse cluster and extractions run there (docs/clickhouse.md). */
  HDH_ENGINE: z.enum(['duckdb', 'clickhouse']).default('duckdb'),
  /** One HTTP(S) URL per shard, comma-separated, in the cluster's shard order; the first receives the queries. */
  HDH_CLICKHOUSE_URL: z
    .string()
    .refine((v) => v.split(',').every((u) => /^https?:\/\/[^\s,]+$/.test(u.trim())), 'must be http(s):// URLs separated by commas')
    .optional(),
  /** Cluster name in the servers' `remote_servers`. */
  HDH_CLICKHOUSE_CLUSTER: z.string().regex(/^[A-Za-z0-9_]{1,64}$/).default('hdh'),
  HDH_CLICKHOUSE_USER: z.string().default('default'),
  HDH_CLICKHOUSE_PASSWORD: z.string().default(''),
  /** The hub's database on every node. */
  HDH_CLICKHOUSE_DATABASE: z.string().regex(/^[A-Za-z0-9_]{1,64}$/).default('hdh'),
  /** DDL as `ON CLUSTER` (the cluster has ZooKeeper/Keeper) rather than on each listed node. */
  HDH_CLICKHOUSE_ON_CLUSTER: bool.default(false),
  HDH_CLICKHOUSE_TIMEOUT_SECONDS: int(1, 7 * 86_400).default(6 * 3600),
  /** Where releases live (Parquet + manifest); defaults to <data dir>/lake. */
  HDH_LAKE_DIR: z.string().optional(),
  HDH_SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  HDH_SMTP_FROM: z.string().default('Health Data Hub <no-reply@hdh.example>'),
  /** Project folders (extracts, scratch databases); defaults to <data dir>/workspaces. */
  HDH_WORKSPACES_DIR: z.string().optional(),
  HDH_EXTRACTION_MEMORY_MB: int(128, 1_048_576).default(2048),
  HDH_EXTRACTION_THREADS: int(1, 256).default(2),
  HDH_WORKSPACE_MEMORY_MB: int(64, 1_048_576).default(1024),
  HDH_WORKSPACE_THREADS: int(1, 256).default(2),
  HDH_WORKSPACE_SCRATCH_GB: int(1, 100_000).default(10),
  HDH_WORKSPACE_QUERY_TIMEOUT_SECONDS: int(1, 86_400).default(300),
  HDH_WORKSPACE_JOB_TIMEOUT_MINUTES: int(1, 7 * 24 * 60).default(120),
  HDH_WORKSPACE_DISPLAY_ROWS: int(1, 100_000).default(1000),
  HDH_WORKSPACE_MAX_SQL_CHARS: int(100, 10_000_000).default(100_000),
  HDH_WORKSPACE_IDLE_MINUTES: int(1, 24 * 60).default(30),
  HDH_API_TOKEN_MAX_DAYS: int(1, 3650).default(90),
  /** LOG-08: a released file with more rows than this raises a `large_export` alert. */
  HDH_AIRLOCK_LARGE_EXPORT_ROWS: int(1, 1_000_000_000).default(10_000),
  /** LOG-08: a released file larger than this (bytes) raises a `large_export` alert. */
  HDH_AIRLOCK_LARGE_EXPORT_BYTES: int(1, 1_000_000_000_000).default(5 * 1024 * 1024),
  /** Released files of the output airlock, written once; defaults to <data dir>/airlock. */
  HDH_AIRLOCK_DIR: z.string().optional(),
});

export type HubConfig = ReturnType<typeof buildConfig>;

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function buildConfig(env: z.infer<typeof envSchema>) {
  const dataDir = path.resolve(env.HDH_DATA_DIR);
  const publicUrl = new URL(env.HDH_PUBLIC_URL ?? `http://${env.HDH_HOST}:${env.HDH_PORT}`);
  const oidc =
    env.HDH_OIDC_ISSUER && env.HDH_OIDC_CLIENT_ID
      ? {
          issuer: env.HDH_OIDC_ISSUER,
          clientId: env.HDH_OIDC_CLIENT_ID,
          clientSecret: env.HDH_OIDC_CLIENT_SECRET,
          label: env.HDH_OIDC_LABEL,
          trustsMfa: env.HDH_OIDC_TRUSTS_MFA,
        }
      : undefined;
  return {
    host: env.HDH_HOST,
    port: env.HDH_PORT,
    publicUrl,
    /** TLS is terminated in front of us when the public URL is https: cookies get Secure, responses HSTS. */
    tls: publicUrl.protocol === 'https:',
    dataDir,
    databaseUrl: env.HDH_DATABASE_URL,
    secretsFile: path.resolve(env.HDH_SECRETS_FILE ?? path.join(dataDir, 'secrets.json')),
    demo: env.HDH_DEMO,
    logLevel: env.HDH_LOG_LEVEL,
    session: {
      idleMs: env.HDH_SESSION_IDLE_MINUTES * 60_000,
      maxMs: env.HDH_SESSION_MAX_HOURS * 3_600_000,
    },
    login: {
      maxFailures: env.HDH_LOGIN_MAX_FAILURES,
      lockMs: env.HDH_LOGIN_LOCK_MINUTES * 60_000,
    },
    /** Null when HDH_AUTH_RATE_LIMIT_PER_MINUTE=0. */
    authRateLimit: env.HDH_AUTH_RATE_LIMIT_PER_MINUTE > 0 ? { max: env.HDH_AUTH_RATE_LIMIT_PER_MINUTE, timeWindowMs: 60_000 } : null,
    /** Null when HDH_OPPOSITION_RATE_LIMIT_PER_HOUR=0. */
    oppositionRateLimit: env.HDH_OPPOSITION_RATE_LIMIT_PER_HOUR > 0 ? { max: env.HDH_OPPOSITION_RATE_LIMIT_PER_HOUR, timeWindowMs: 3_600_000 } : null,
    ingest: { chunkBytes: env.HDH_INGEST_CHUNK_BYTES, memoryLimit: env.HDH_INGEST_MEMORY },
    accessReviewMonths: env.HDH_ACCESS_REVIEW_MONTHS,
    bodyLimit: env.HDH_BODY_LIMIT_BYTES,
    trustProxy: env.HDH_TRUST_PROXY,
    oidc,
    engine: env.HDH_ENGINE,
    /** Set when HDH_ENGINE=clickhouse (checked in loadConfig). */
    clickhouse: env.HDH_CLICKHOUSE_URL
      ? {
          urls: env.HDH_CLICKHOUSE_URL.split(',').map((u) => u.trim().replace(/\/+$/, '')),
          user: env.HDH_CLICKHOUSE_USER,
          password: env.HDH_CLICKHOUSE_PASSWORD,
          cluster: env.HDH_CLICKHOUSE_CLUSTER,
          database: env.HDH_CLICKHOUSE_DATABASE,
          onCluster: env.HDH_CLICKHOUSE_ON_CLUSTER,
          requestTimeoutMs: env.HDH_CLICKHOUSE_TIMEOUT_SECONDS * 1000,
        }
      : undefined,
    lakeDir: path.resolve(env.HDH_LAKE_DIR ?? path.join(dataDir, 'lake')),
    workspacesDir: path.resolve(env.HDH_WORKSPACES_DIR ?? path.join(dataDir, 'workspaces')),
    extraction: { memoryLimit: `${env.HDH_EXTRACTION_MEMORY_MB}MB`, threads: env.HDH_EXTRACTION_THREADS },
    /** Limits of each workspace session's engine process and of what leaves it (displayed rows only). */
    workspace: {
      memoryMb: env.HDH_WORKSPACE_MEMORY_MB,
      threads: env.HDH_WORKSPACE_THREADS,
      scratchGb: env.HDH_WORKSPACE_SCRATCH_GB,
      queryTimeoutMs: env.HDH_WORKSPACE_QUERY_TIMEOUT_SECONDS * 1000,
      jobTimeoutMs: env.HDH_WORKSPACE_JOB_TIMEOUT_MINUTES * 60_000,
      displayRows: env.HDH_WORKSPACE_DISPLAY_ROWS,
      maxSqlChars: env.HDH_WORKSPACE_MAX_SQL_CHARS,
      idleMs: env.HDH_WORKSPACE_IDLE_MINUTES * 60_000,
      tokenMaxDays: env.HDH_API_TOKEN_MAX_DAYS,
    },
    /** The output airlock: where released files are written, and the LOG-08 large-export thresholds. */
    airlock: {
      dir: path.resolve(env.HDH_AIRLOCK_DIR ?? path.join(dataDir, 'airlock')),
      largeExport: { rows: env.HDH_AIRLOCK_LARGE_EXPORT_ROWS, bytes: env.HDH_AIRLOCK_LARGE_EXPORT_BYTES },
    },
    /** E-mail notifications are sent only when an SMTP server is configured. */
    smtp: env.HDH_SMTP_URL ? { url: env.HDH_SMTP_URL, from: env.HDH_SMTP_FROM } : undefined,
  };
}

/** Reads and validates the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Record<string, string> = {}): HubConfig {
  const picked: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...env, ...overrides })) {
    if (k.startsWith('HDH_') && v !== undefined && v !== '') picked[k] = v;
  }
  const parsed = envSchema.safeParse(picked);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  if (parsed.data.HDH_ENGINE === 'clickhouse' && !parsed.data.HDH_CLICKHOUSE_URL) throw new ConfigError(['HDH_CLICKHOUSE_URL: required when HDH_ENGINE=clickhouse']);
  return buildConfig(parsed.data);
}

/** For the README's configuration table and `hdh config`: every variable the hub reads. */
export const configVariables = Object.keys(envSchema.shape);
