-- Area notices: the command centre (or a town or village leader) sends a notice to every grid
-- person of an area (grid subtrees or a radius); each recipient's delivery, reading,
-- acknowledgement and replies are tracked, outbound channels (SMS gateway, work chat) are
-- recorded with their failures, and notice events join the live feed.

create table notice (
  id               bigint generated always as identity primary key,
  kind             text not null check (kind in ('missing-person', 'urgent', 'work', 'publicity')),
  priority         text not null check (priority in ('normal', 'high', 'urgent')),
  title            text not null check (length(title) between 1 and 200),
  body             text not null default '' check (length(body) <= 4000),
  sender_id        bigint references app_user (id),
  sender_name      text not null,
  sender_role      text not null,
  -- The target as sent: grid codes, or a point and radius (every household group it touches).
  target_grids     text[],
  target_point     geometry(Point, 4326),
  target_radius_m  integer check (target_radius_m between 1 and 100000),
  check ((target_grids is null) <> (target_point is null)),
  -- A missing person's details ({name, age, sex, clothing, lastSeenAt, lastSeen}), stored whole;
  -- masked for everyone but the commander once the notice is closed.
  person           jsonb,
  last_seen        geometry(Point, 4326),
  attachments      bigint[] not null default '{}',
  created_at       timestamptz not null default now(),
  ack_deadline     timestamptz not null,
  status           text not null default 'active' check (status in ('active', 'closed')),
  closed_at        timestamptz,
  close_outcome    text check (close_outcome in ('found', 'cancelled')),
  close_note       text,
  closed_by        text,
  recipients       integer not null default 0,
  idempotency_key  text unique,
  request_hash     text
);
create index notice_status on notice (status, id desc);

-- Who received a notice: the grid persons of the target at the moment of sending, copied, so a
-- later change of the grid does not change the list.
create table notice_recipient (
  notice_id     bigint not null references notice (id),
  person_id     integer not null references grid_person (id),
  cell_code     text not null,
  role          text not null,
  full_name     text not null,
  phone         text not null,
  delivered_at  timestamptz,
  read_at       timestamptz,
  acked_at      timestamptz,
  searched_at   timestamptz,
  clue_at       timestamptz,
  reminded_at   timestamptz,
  reminders     integer not null default 0,
  primary key (notice_id, person_id)
);
create index notice_recipient_cell on notice_recipient (cell_code text_pattern_ops, notice_id);
create index notice_recipient_notice_cell on notice_recipient (notice_id, cell_code);

-- Replies of recipients: a clue (text, photo, location) or "searched my grid, not found".
create table notice_reply (
  id           bigint generated always as identity primary key,
  notice_id    bigint not null references notice (id),
  person_id    integer not null references grid_person (id),
  cell_code    text not null,
  kind         text not null check (kind in ('clue', 'not-found')),
  text         text not null default '' check (length(text) <= 2000),
  location     geometry(Point, 4326),
  attachments  bigint[] not null default '{}',
  at           timestamptz not null default now(),
  author       text not null
);
create index notice_reply_notice on notice_reply (notice_id, id);

-- Notice events share the live feed's id sequence with incident_event and are committed under
-- the same ordering lock, so one Last-Event-ID places a client in both.
create table notice_event (
  id         bigint primary key default nextval(pg_get_serial_sequence('incident_event', 'id')),
  notice_id  bigint not null references notice (id),
  at         timestamptz not null default now(),
  -- 'notice' (sent, reminded, closed) or 'notice-progress' (the counts moved).
  kind       text not null check (kind in ('notice', 'notice-progress')),
  action     text not null,
  -- The cells the event is for (a reminder); null: every recipient of the notice.
  cells      text[],
  -- The notice's summary and progress at the time of the event (never personal data).
  payload    jsonb not null
);
create index notice_event_notice on notice_event (notice_id, id);

-- Outbound channel deliveries (log, webhook) with their attempts and last error.
create table notice_outbound (
  id               bigint generated always as identity primary key,
  notice_id        bigint not null references notice (id),
  channel          text not null,
  action           text not null,
  idempotency_key  text not null unique,
  recipients       integer not null,
  status           text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
  attempts         integer not null default 0,
  last_error       text,
  created_at       timestamptz not null default now(),
  updated_at       timestamptz not null default now()
);
create index notice_outbound_notice on notice_outbound (notice_id, id);
