-- Limits that must hold across several API processes on one PostgreSQL (WORKERS=n, or several
-- instances behind nginx): fixed-window counters of the rate limits (sign-in per address and
-- username, writes per session, requests per API token) and the live streams open per session.
-- Unlogged: they are worth nothing after a crash (a window lasts a minute, a stream's row is
-- renewed by its process every few seconds), so they skip the write-ahead log. Keys are SHA-256
-- digests of what they count (an address, a username), never the values themselves.
create unlogged table rate_window (
  key       text primary key,
  count     integer not null,
  reset_at  timestamptz not null
);
create index rate_window_reset on rate_window (reset_at);

create unlogged table live_stream_slot (
  id           bigserial primary key,
  session_key  text not null,
  seen_at      timestamptz not null default now()
);
create index live_stream_slot_session on live_stream_slot (session_key, seen_at);
