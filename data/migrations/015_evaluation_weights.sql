-- The evaluation weights as the commander set them in the interface (one row). Without a row, the
-- weights file checked at start (data/evaluation-weights.json) applies. Every change is also
-- written to audit_log (action evaluation_weights, the old and new values in the reason).
create table evaluation_weights (
  id          smallint primary key default 1 check (id = 1),
  weights     jsonb not null,
  updated_by  text not null,
  updated_at  timestamptz not null default now()
);
