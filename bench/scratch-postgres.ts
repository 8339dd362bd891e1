/**
 * Scratch PostgreSQL databases for benchmarks: created on the server named by
 * HDH_BENCH_DATABASE_URL (or HDH_TEST_DATABASE_URL; its role must be allowed to create
 * databases), dropped afterwards. No URL: the benchmark measures the embedded store only.
 */
import crypto from 'node:crypto';
import pg from 'pg';

export function benchPostgresUrl(): string | undefined {
  return process.env.HDH_BENCH_DATABASE_URL ?? process.env.HDH_TEST_DATABASE_URL;
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Runs `use` with the URL of a fresh database, then drops it. */
export async function withScratchDatabase<T>(server: string, use: (url: string) => Promise<T>): Promise<T> {
  const name = `hdh_bench_${crypto.randomBytes(4).toString('hex')}`;
  await adminQuery(server, `create database ${name}`);
  try {
    const u = new URL(server);
    u.pathname = `/${name}`;
    return await use(u.toString());
  } finally {
    await dropDatabase(server, name);
  }
}

/**
 * Drops the database, waiting for sessions that are not ours to leave (an autovacuum worker after
 * an import): `with (force)` may not end those without superuser rights. A database that will not
 * go is reported, not fatal: the measurements stand.
 */
async function dropDatabase(server: string, name: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await adminQuery(server, `drop database if exists ${name}`);
      return;
    } catch (err) {
      if (attempt >= 30) {
        console.warn(`could not drop the scratch database ${name}: ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}
