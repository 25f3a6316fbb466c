-- The grid's revision: a number that goes up with every statement that changes the current grid
-- (grid_cell), in the same transaction. The public geometry tiles carry it in their address
-- (/tiles/geometry/{revision}/…) and are cached as immutable, so it must change whenever anything
-- they show changes: a grid import (new cells, shapes, names) but also a base-data import, which
-- recounts households and population without a new grid version (grid_version's id would not
-- move). A trigger rather than a call in each writer, so no writer (imports, the seed, a
-- generator, a hand-made fix) can forget it. A statement that changes no row still counts: that
-- only gives the same tiles a new address.
create table grid_revision (
  singleton boolean primary key default true check (singleton),
  revision  integer not null default 0 check (revision >= 0)
);
insert into grid_revision default values;

create function bump_grid_revision() returns trigger
  language plpgsql
as $$
begin
  update grid_revision set revision = revision + 1;
  return null;
end;
$$;

create trigger grid_cell_revision after insert or update or delete or truncate on grid_cell
  for each statement execute function bump_grid_revision();
