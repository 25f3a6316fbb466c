-- Incidents reported by grid workers and residents, and the append-only log of everything that
-- happened to each. The incident row is the current state; every change to it is written in the
-- same transaction as its incident_event, whose id is also the id of the live (SSE) event.

-- The category tree (two levels), loaded from data/incidents/categories.json on start.
create table incident_category (
  code             text primary key check (code ~ '^[a-z_]+(\.[a-z_]+)?$'),
  parent_code      text references incident_category (code),
  name_zh          text not null,
  name_en          text not null,
  color            text not null default '#888888',
  default_severity smallint not null default 2 check (default_severity between 1 and 4),
  -- Hours to resolve, by severity 1..4, for cases of this category.
  due_hours        integer[] not null check (cardinality(due_hours) = 4),
  sort             smallint not null default 0
);

create table incident (
  id              bigint generated always as identity primary key,
  category        text not null references incident_category (code),
  severity        smallint not null check (severity between 1 and 4),
  title           text not null check (length(title) between 1 and 200),
  description     text not null default '' check (length(description) <= 4000),
  source          text not null check (source in ('patrol', 'resident', 'hotline', 'referral')),
  reporter        text not null default '',
  occurred_at     timestamptz not null,
  reported_at     timestamptz not null default now(),
  location        geometry(Point, 4326) not null,
  -- The level-5 cell the point falls in, assigned by the database (ST_Covers) on insert.
  grid_code       text not null references grid_cell (code),
  -- The grid level currently handling the case: 5 household group … 1 district.
  handling_level  smallint not null default 5 check (handling_level between 1 and 5),
  status          text not null check (status in ('reported', 'registered', 'dispatched', 'handling', 'handled', 'verified', 'closed', 'dismissed')),
  due_at          timestamptz not null,
  closed_at       timestamptz,
  -- People involved, stored whole ([{name, phone, idNumber}]) and masked in every response.
  parties         jsonb not null default '[]'::jsonb,
  idempotency_key text unique,
  request_hash    text,
  updated_at      timestamptz not null default now()
);
create index incident_grid on incident (grid_code text_pattern_ops);
create index incident_location on incident using gist (location);
create index incident_reported on incident (reported_at desc, id desc);
create index incident_open_due on incident (due_at) where status not in ('closed', 'dismissed');

create table incident_event (
  id           bigint generated always as identity primary key,
  incident_id  bigint not null references incident (id),
  at           timestamptz not null default now(),
  actor        text not null,
  action       text not null,
  from_status  text,
  to_status    text not null,
  from_level   smallint,
  to_level     smallint not null,
  note         text not null default ''
);
create index incident_event_incident on incident_event (incident_id, id);

-- The log is append-only: history cannot be rewritten through the API or by accident.
create function incident_event_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'incident_event is append-only';
end $$;
create trigger incident_event_no_update before update or delete on incident_event
  for each row execute function incident_event_append_only();
