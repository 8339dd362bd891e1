import { sql, type Kysely } from 'kysely';

/** Versioned charters (user, producer, citizen) and their acceptance (AUTH-05). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table charters (
      id uuid primary key,
      kind text not null check (kind in ('user', 'producer', 'citizen')),
      version integer not null,
      title_fr text not null,
      title_en text not null,
      body_fr text not null,
      body_en text not null,
      published_at timestamptz not null,
      published_by uuid references users(id),
      unique (kind, version)
    );

    create table charter_acceptances (
      user_id uuid not null references users(id) on delete cascade,
      charter_id uuid not null references charters(id),
      accepted_at timestamptz not null,
      ip text,
      primary key (user_id, charter_id)
    );
  `.execute(db);
}
