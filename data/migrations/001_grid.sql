-- The five-level grid: one row per cell at every level (district → town → village →
-- villager group → household group). A cell's code is its parent's code plus three digits,
-- so a whole subtree is a code prefix (text_pattern_ops makes `code like 'x%'` use the index).
create table grid_cell (
  code        text primary key check (code ~ '^[0-9]{6}([0-9]{3}){0,4}$'),
  level       smallint not null check (level between 1 and 5 and length(code) = 3 + 3 * level),
  name        text not null check (length(name) between 1 and 100),
  -- The name as people search for it: groups carry their village's name (蓝田坡村委会第3村民小组).
  full_name   text not null,
  parent_code text references grid_cell (code) check ((level = 1) = (parent_code is null)),
  households  integer not null check (households >= 0),
  population  integer not null check (population >= 0),
  geom        geometry(MultiPolygon, 4326) not null,
  label_point geometry(Point, 4326) not null
);
create index grid_cell_code_prefix on grid_cell (code text_pattern_ops);
create index grid_cell_parent on grid_cell (parent_code);
create index grid_cell_level on grid_cell (level);
create index grid_cell_geom on grid_cell using gist (geom);

-- The people responsible for a cell: a grid worker per household group, a grid leader per
-- villager group. Names and phones are stored whole and masked in every query that serves them.
create table grid_person (
  id        integer generated always as identity primary key,
  cell_code text not null references grid_cell (code),
  role      text not null check (role in ('grid_worker', 'grid_leader')),
  full_name text not null,
  phone     text not null
);
create index grid_person_cell on grid_person (cell_code text_pattern_ops);

-- The party organisation built on the grid (村党委, 党总支, 网格党支部, 党小组).
create table party_org (
  id        integer generated always as identity primary key,
  cell_code text not null references grid_cell (code),
  kind      text not null check (kind in ('village_committee', 'general_branch', 'grid_branch', 'party_group')),
  name      text not null
);
create index party_org_cell on party_org (cell_code text_pattern_ops);

-- Neighbouring divisions drawn for context around the grid (not part of it).
create table context_region (
  code text primary key,
  name text not null,
  geom geometry(MultiPolygon, 4326) not null
);

-- Masks a person's name for display: the surname stays, the rest becomes one asterisk (黄*).
create function mask_name(full_name text) returns text
  language sql immutable parallel safe
  return left(full_name, 1) || '*';

-- Masks a mobile number: first three and last four digits stay (138****8000).
create function mask_phone(phone text) returns text
  language sql immutable parallel safe
  return case when length(phone) >= 7 then left(phone, 3) || repeat('*', length(phone) - 7) || right(phone, 4) else '****' end;
