import { sql, type Kysely } from 'kysely';

/** Organisations, nominative accounts, roles, second factors, server-side sessions. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table organisations (
      id uuid primary key,
      name text not null unique,
      kind text not null check (kind in ('hub', 'producer', 'research', 'agency', 'company', 'hospital', 'other')),
      created_at timestamptz not null
    );

    create table users (
      id uuid primary key,
      email text not null,
      display_name text not null,
      organisation_id uuid references organisations(id),
      password_hash text,
      -- AUTH-03: every account has an end-of-rights date.
      end_of_rights date not null,
      status text not null default 'active' check (status in ('active', 'disabled')),
      locale text not null default 'fr' check (locale in ('fr', 'en')),
      failed_logins integer not null default 0,
      locked_until timestamptz,
      totp_secret_enc text,
      totp_enabled_at timestamptz,
      totp_last_step bigint,
      oidc_subject text,
      created_at timestamptz not null,
      last_login_at timestamptz,
      last_reviewed_at timestamptz
    );
    create unique index users_email_key on users (lower(email));
    create unique index users_oidc_subject_key on users (oidc_subject) where oidc_subject is not null;

    create table user_roles (
      user_id uuid not null references users(id) on delete cascade,
      role text not null,
      granted_at timestamptz not null,
      granted_by uuid references users(id),
      primary key (user_id, role)
    );

    create table recovery_codes (
      user_id uuid not null references users(id) on delete cascade,
      code_hash text not null,
      used_at timestamptz,
      primary key (user_id, code_hash)
    );

    create table webauthn_credentials (
      id text primary key,
      user_id uuid not null references users(id) on delete cascade,
      public_key text not null,
      counter bigint not null default 0,
      transports text,
      label text not null,
      created_at timestamptz not null,
      last_used_at timestamptz
    );

    create table sessions (
      id_hash text primary key,
      user_id uuid not null references users(id) on delete cascade,
      -- 'full' once every required factor is checked; 'enrolment' may only enrol a second factor.
      level text not null check (level in ('full', 'enrolment')),
      csrf_token text not null,
      created_at timestamptz not null,
      last_seen_at timestamptz not null,
      expires_at timestamptz not null,
      ip text,
      user_agent text,
      auth_method text not null,
      pending_challenge text,
      revoked_at timestamptz
    );
    create index sessions_user_idx on sessions (user_id);

    -- WebAuthn login challenges, before any session exists (short-lived, single use).
    create table auth_challenges (
      id text primary key,
      user_id uuid references users(id) on delete cascade,
      challenge text not null,
      expires_at timestamptz not null
    );

    create table access_reviews (
      id uuid primary key,
      user_id uuid not null references users(id) on delete cascade,
      reviewer_id uuid not null references users(id),
      decision text not null check (decision in ('keep', 'revoke')),
      note text not null,
      reviewed_at timestamptz not null
    );
  `.execute(db);
}
