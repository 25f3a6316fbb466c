-- Grid versions: every import of a county's grid (npm run import -- grid) is a version with an
-- effective date, and the cells of every version are kept, so the grid as it was stays readable.
-- grid_cell stays the current grid that reports, tiles and figures use; incidents keep the code of
-- the cell they were reported in. The first import also records the grid it replaces (the seeded
-- or earlier grid) as a version without an effective date.
create table grid_version (
  id             integer generated always as identity primary key,
  -- The subtrees the version covers: a level-1 code (the whole county), or the parent whose
  -- children the files hold.
  root_codes     text[] not null,
  effective_date date,
  imported_at    timestamptz not null default now(),
  source         text not null check (length(source) between 1 and 1000),
  -- SHA-256 of the cells as imported (codes, names, levels, parents, geometry), so importing the
  -- same files twice is recognised and changes nothing.
  checksum       text not null,
  cells          integer not null check (cells >= 0)
);

create table grid_cell_version (
  version     integer not null references grid_version (id),
  code        text not null,
  level       smallint not null check (level between 1 and 5),
  name        text not null,
  full_name   text not null,
  parent_code text,
  households  integer not null,
  population  integer not null,
  geom        geometry(MultiPolygon, 4326) not null,
  label_point geometry(Point, 4326) not null,
  primary key (version, code)
);
create index grid_cell_version_prefix on grid_cell_version (version, code text_pattern_ops);
create index grid_cell_version_geom on grid_cell_version using gist (geom);
