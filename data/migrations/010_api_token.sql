-- API tokens for GIS clients (QGIS, GDAL) and other city systems (Open311): a role and a scope
-- like a user's, kept only as the SHA-256 digest of the random token the client holds. The
-- commander sees each token's last use; revoking one takes effect on its next request.

create table api_token (
  id            bigint generated always as identity primary key,
  name          text not null check (length(name) between 1 and 100),
  token_hash    text not null unique,
  role          text not null check (role in ('commander', 'town_leader', 'village_leader', 'grid_worker', 'analyst')),
  scope         text not null check (scope ~ '^[0-9]{6}([0-9]{3}){0,4}$'),
  created_at    timestamptz not null default now(),
  expires_at    timestamptz,
  revoked_at    timestamptz,
  last_used_at  timestamptz,
  last_used_ip  text
);
