-- Who may use Gridscope and what they may see: users with a role and a scope (a grid code; the
-- subtree under it is what they see), their sessions, wall display tokens, and the audit log of
-- every look at residents' personal data. Secrets are never stored: passwords as scrypt hashes,
-- session and wall tokens as SHA-256 digests of the random token the client holds.

create table app_user (
  id            bigint generated always as identity primary key,
  username      text not null unique check (username ~ '^[A-Za-z0-9_.@-]{2,64}$'),
  display_name  text not null default '',
  -- scrypt$N$r$p$salt$hash (base64url), see server/access/passwords.ts.
  password_hash text not null,
  role          text not null check (role in ('commander', 'town_leader', 'village_leader', 'grid_worker', 'analyst')),
  -- A grid code; the user sees the incidents of its subtree (a code prefix).
  scope         text not null check (scope ~ '^[0-9]{6}([0-9]{3}){0,4}$'),
  created_at    timestamptz not null default now(),
  disabled_at   timestamptz
);

create table wall_token (
  id          bigint generated always as identity primary key,
  label       text not null check (length(label) between 1 and 100),
  token_hash  text not null unique,
  scope       text not null check (scope ~ '^[0-9]{6}([0-9]{3}){0,4}$'),
  created_at  timestamptz not null default now(),
  revoked_at  timestamptz
);

create table user_session (
  -- SHA-256 (hex) of the cookie's random token: a stolen table does not sign anyone in.
  token_hash     text primary key,
  user_id        bigint references app_user (id) on delete cascade,
  wall_token_id  bigint references wall_token (id) on delete cascade,
  created_at     timestamptz not null default now(),
  expires_at     timestamptz not null,
  check ((user_id is null) <> (wall_token_id is null))
);
create index user_session_expires on user_session (expires_at);

create table audit_log (
  id           bigint generated always as identity primary key,
  at           timestamptz not null default now(),
  actor_id     bigint references app_user (id),
  actor        text not null,
  actor_role   text not null,
  action       text not null,
  incident_id  bigint references incident (id),
  reason       text not null,
  client_ip    text not null default ''
);
create index audit_log_at on audit_log (id desc);

-- The audit log is append-only, like the incident history.
create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end $$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_append_only();
