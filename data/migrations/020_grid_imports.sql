-- The web grid imports, kept in the database rather than in the memory of the process that took
-- the upload: any API process answers an import's status and problems and applies it, and an
-- import checked before a restart can still be applied after it.
--
-- `status` is the import as the API answers it (files, settings, progress, problems by kind, the
-- plan). `cells` are the checked cells in the order they are inserted, once the check finished;
-- `problems` every problem with its geometry. The process checking or applying an import touches
-- `heartbeat_at` every second: a row left checking or applying with an old heartbeat belongs to a
-- process that stopped, and no longer counts as the one import running.
create table grid_import (
  id            uuid primary key,
  state         text not null check (state in ('checking', 'checked', 'failed', 'applying', 'applied', 'unchanged')),
  status        jsonb not null,
  cells         jsonb,
  problems      jsonb not null default '[]'::jsonb,
  created_at    timestamptz not null default now(),
  heartbeat_at  timestamptz not null default now()
);
create index grid_import_created on grid_import (created_at desc);
