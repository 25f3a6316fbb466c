-- Grid workers' field work: photos attached to cases, and patrols (巡查) with their positions.
--
-- Photos are kept in PostgreSQL, content-addressed by the SHA-256 of the stored bytes. Why not
-- files under DATA_DIR: the API is stateless (any number of processes behind a load balancer
-- share nothing but the database), so a photo stored by one process must be readable by all; the
-- photo, its case link and its timeline entry commit in one transaction (an upload cut off
-- half-way leaves nothing behind, a retry finds what was stored); one backup holds everything;
-- and the scope check is a join. Photos are at most 10 MB and already compressed, so they are
-- stored uncompressed out of line (storage external): TOAST would only spend CPU trying.
create table attachment_blob (
  sha256       bytea primary key check (length(sha256) = 32),
  media_type   text not null check (media_type in ('image/jpeg', 'image/png', 'image/webp')),
  bytes        bytea not null,
  size         integer not null check (size > 0),
  width        integer not null check (width > 0),
  height       integer not null check (height > 0),
  thumb        bytea not null,
  thumb_width  integer not null,
  thumb_height integer not null,
  created_at   timestamptz not null default now()
);
alter table attachment_blob alter column bytes set storage external;
alter table attachment_blob alter column thumb set storage external;

-- A photo of a case: who added it, when, and (when the photo says so) when it was taken. The
-- same bytes on the same case are one attachment: a replayed upload never adds a second.
create table incident_attachment (
  id              bigint generated always as identity primary key,
  incident_id     bigint not null references incident (id),
  sha256          bytea not null references attachment_blob (sha256),
  added_by        text not null,
  added_at        timestamptz not null default now(),
  taken_at        timestamptz,
  -- The timeline entry ("photo added") written with it.
  event_id        bigint references incident_event (id),
  idempotency_key text unique,
  unique (incident_id, sha256)
);
create index incident_attachment_incident on incident_attachment (incident_id, id);

-- A category may require at least one photo before a case of it can be finished.
alter table incident_category add column requires_photo_on_finish boolean not null default false;

-- A patrol: one worker's walk through their grid. `worker_scope` is the grid code of who walked
-- it (the track is their personal data: visible to them, to leaders whose scope contains it and to
-- the commander). `person_id` links a grid worker's patrol to their grid_person row (per-worker
-- coverage); `track` and `km` are rebuilt from the plausible positions after every batch.
create table patrol (
  id              bigint generated always as identity primary key,
  user_id         bigint references app_user (id) on delete set null,
  person_id       integer references grid_person (id),
  worker_name     text not null,
  worker_scope    text not null check (worker_scope ~ '^[0-9]{6}([0-9]{3}){0,4}$'),
  started_at      timestamptz not null,
  ended_at        timestamptz,
  track           geometry(LineString, 4326),
  km              double precision not null default 0,
  idempotency_key text unique,
  check (ended_at is null or ended_at >= started_at)
);
create index patrol_scope on patrol (worker_scope text_pattern_ops, started_at);
create index patrol_started on patrol (started_at);
create index patrol_person on patrol (person_id, started_at);

-- A position sent by the phone. One per (patrol, t): a batch sent twice stores nothing twice.
-- `grid_code` is the household group it falls in (null outside the district); `flag` says why a
-- position does not count as a visit: outside the district, faster than 200 km/h from the last
-- plausible position, or accuracy worse than 500 m. `segment_m` is the distance from the previous
-- plausible position (0 for the first and for flagged ones), so kilometres add up per cell.
create table patrol_position (
  patrol_id  bigint not null references patrol (id) on delete cascade,
  t          timestamptz not null,
  location   geometry(Point, 4326) not null,
  accuracy   real not null check (accuracy >= 0),
  grid_code  text,
  flag       text check (flag in ('outside', 'too_fast', 'inaccurate')),
  segment_m  double precision not null default 0,
  primary key (patrol_id, t)
);
create index patrol_position_visits on patrol_position (grid_code text_pattern_ops, t) where flag is null;
create index patrol_position_t on patrol_position (t);
