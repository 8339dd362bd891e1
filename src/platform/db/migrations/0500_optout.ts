import { sql, type Kysely } from 'kysely';

/**
 * The opposition registry — registre des oppositions (PR-01, PR-02, DP-01). It holds no NIR and
 * no identity trait: an opposition is a status, two dates and the SHA-256 of its receipt
 * reference; its pseudonyms (one per key version of the ring at recording time) sit in a second
 * table and are deleted when the opposition is withdrawn.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table oppositions (
      id uuid primary key,
      receipt_hash text not null unique check (receipt_hash ~ '^[0-9a-f]{64}$'),
      status text not null check (status in ('active', 'withdrawn')),
      recorded_at timestamptz not null,
      withdrawn_at timestamptz,
      check ((status = 'withdrawn') = (withdrawn_at is not null))
    );
    create index oppositions_status on oppositions (status);

    create table opposition_pseudonyms (
      opposition_id uuid not null references oppositions(id) on delete cascade,
      key_id text not null,
      key_version integer not null check (key_version > 0),
      pseudonym text not null check (pseudonym ~ '^[0-9a-f]{64}$'),
      primary key (opposition_id, key_id, key_version)
    );
    create index opposition_pseudonyms_by_key on opposition_pseudonyms (key_id, key_version, pseudonym);
  `.execute(db);
}
