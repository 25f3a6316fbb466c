-- Rate limits that must hold across several API processes on one PostgreSQL (WORKERS=n, or
-- several instances behind nginx): fixed-window counters of sign-in attempts (per address and
-- username, per username, per address), writes per session and requests per API token.
-- Unlogged: a window lasts a minute and is worth nothing after a crash, so it skips the
-- write-ahead log. Keys are SHA-256 digests of what they count (an address, a username), never
-- the values themselves. (Live streams per session are advisory locks: no table.)
create unlogged table rate_window (
  key       text primary key,
  count     integer not null,
  reset_at  timestamptz not null
);
create index rate_window_reset on rate_window (reset_at);
