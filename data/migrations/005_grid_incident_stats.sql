-- Incident figures per grid cell at every level (a cell counts the incidents of its subtree),
-- recomputed by the server shortly after incidents change and every minute (overdue moves with
-- the clock). Vector tiles join it so the map can colour cells by incident figures.
create table grid_incident_stats (
  code         text primary key references grid_cell (code),
  total        integer not null,
  open         integer not null,
  overdue      integer not null,
  resolved     integer not null,
  refreshed_at timestamptz not null default now()
);
