import { sql, type Kysely } from 'kysely';

/**
 * Projects: the file (fiche projet), its versioned perimeter, team, declarations of interest,
 * documents, the procedure's transitions (LC-01..LC-10), convention acceptances, exchanges
 * and notifications, and the lead's member reviews (AUTH-08).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create sequence project_reference_seq;

    create table projects (
      id uuid primary key,
      reference text not null unique,
      title text not null,
      summary text not null default '',
      purpose text not null default '',
      objectives text not null default '',
      public_interest text not null default '',
      methodology text not null default '',
      expected_results text not null default '',
      legal_route text not null check (legal_route in ('cnil_authorisation', 'reference_methodology', 'egb_simplified', 'permanent_access')),
      reference_methodology text check (reference_methodology in ('MR-004', 'MR-005', 'MR-006')),
      conformity_reference text,
      conformity_declared_on date,
      public_service_mission boolean not null default false,
      data_controllers jsonb not null default '[]'::jsonb,
      rmo jsonb,
      subcontractors jsonb not null default '[]'::jsonb,
      medical_domains jsonb not null default '[]'::jsonb,
      other_sources jsonb not null default '[]'::jsonb,
      requested_end_date date,
      authorised_end_date date,
      start_date date,
      lead_id uuid not null references users(id),
      status text not null check (status in ('draft', 'submitted', 'returned', 'cesrees_review', 'cesrees_opinion', 'cnil_review', 'convention', 'provisioning', 'active', 'closed', 'archived', 'withdrawn', 'refused')),
      step_started_on date,
      due_date date,
      cnil_renewed boolean not null default false,
      cesrees_outcome text check (cesrees_outcome in ('favourable', 'favourable_with_recommendations', 'reserved', 'unfavourable', 'tacit_favourable')),
      cesrees_decided_on date,
      cesrees_reference text,
      cnil_outcome text check (cnil_outcome in ('authorised', 'refused', 'tacit_authorisation')),
      cnil_decided_on date,
      cnil_number text,
      registry_reference text,
      results_summary text,
      results_url text,
      results_published_at timestamptz,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      submitted_at timestamptz
    );
    create index projects_status_due on projects (status, due_date);
    create index projects_lead on projects (lead_id);

    create table project_perimeters (
      project_id uuid not null references projects(id) on delete cascade,
      version integer not null,
      permit jsonb not null,
      created_at timestamptz not null,
      created_by text not null,
      primary key (project_id, version)
    );

    create table project_members (
      project_id uuid not null references projects(id) on delete cascade,
      user_id uuid not null references users(id),
      email text not null,
      display_name text not null,
      role_in_project text not null,
      end_date date not null,
      added_at timestamptz not null,
      last_confirmed_at timestamptz,
      primary key (project_id, user_id)
    );
    create index project_members_user on project_members (user_id);

    create table project_interest_declarations (
      id uuid primary key,
      project_id uuid not null references projects(id) on delete cascade,
      person_name text not null,
      capacity text not null check (capacity in ('data_controller', 'research_lead', 'team_member')),
      statement text not null,
      signed_on date not null,
      recorded_at timestamptz not null,
      recorded_by text not null
    );

    create table project_documents (
      id uuid primary key,
      project_id uuid not null references projects(id) on delete cascade,
      kind text not null check (kind in ('protocol', 'pia', 'cv', 'interest_declaration', 'conformity_declaration', 'convention', 'other')),
      name text not null,
      version integer not null,
      sha256 text not null,
      size_bytes bigint not null,
      media_type text not null,
      stored_path text not null,
      uploaded_at timestamptz not null,
      uploaded_by text not null,
      unique (project_id, kind, name, version)
    );

    create table project_transitions (
      id uuid primary key,
      -- Orders transitions recorded within the same instant (one clock tick, one request).
      seq bigint generated always as identity,
      project_id uuid not null references projects(id) on delete cascade,
      from_status text,
      to_status text not null,
      action text not null,
      at timestamptz not null,
      actor_id uuid,
      actor_label text not null,
      automatic boolean not null default false,
      reference text,
      note text,
      due_date date,
      details jsonb not null default '{}'::jsonb
    );
    create index project_transitions_project on project_transitions (project_id, at);

    create table project_convention_acceptances (
      project_id uuid not null references projects(id) on delete cascade,
      party text not null check (party in ('applicant', 'hub')),
      accepted_by text not null,
      accepted_at timestamptz not null,
      primary key (project_id, party)
    );

    create table project_messages (
      id uuid primary key,
      seq bigint generated always as identity,
      project_id uuid not null references projects(id) on delete cascade,
      parent_id uuid references project_messages(id),
      author_id uuid,
      author_label text not null,
      author_side text not null check (author_side in ('applicant', 'hub')),
      body text not null,
      created_at timestamptz not null
    );
    create index project_messages_project on project_messages (project_id, created_at);

    create table notifications (
      id uuid primary key,
      user_id uuid not null references users(id) on delete cascade,
      project_id uuid references projects(id) on delete cascade,
      kind text not null,
      details jsonb not null default '{}'::jsonb,
      created_at timestamptz not null,
      read_at timestamptz,
      -- Outbox for e-mail: sent after the transaction commits, retried by the hourly job.
      emailed_at timestamptz,
      email_attempts integer not null default 0,
      email_error text
    );
    create index notifications_unsent on notifications (created_at) where emailed_at is null;
    create index notifications_user on notifications (user_id, created_at);

    create table project_member_reviews (
      id uuid primary key,
      project_id uuid not null references projects(id) on delete cascade,
      reviewer_id uuid not null,
      decisions jsonb not null,
      note text not null,
      reviewed_at timestamptz not null
    );
  `.execute(db);
}
