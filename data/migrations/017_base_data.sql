-- Base data a county imports (npm run import -- households|people, or the commander's import
-- screen): its households (户) with their house and cell, and its residents (实有人口) in them.
-- Names, ID numbers and phones are stored whole (a case may need to reach a resident) and masked
-- in every query that serves them (mask_name, mask_id_number, mask_phone).

-- A household: a home at an address in one cell (normally a household group). `code` is the
-- county's household number when it has one; otherwise the address within its cell is the key.
-- `location` is the house point, `building` the building's footprint when the county drew it.
create table household (
  id        bigint generated always as identity primary key,
  code      text unique check (code ~ '^[0-9A-Za-z_-]{1,40}$'),
  cell_code text not null references grid_cell (code),
  address   text not null check (length(address) between 1 and 200),
  location  geometry(Point, 4326) not null,
  building  geometry(MultiPolygon, 4326),
  unique (cell_code, address)
);
create index household_cell on household (cell_code text_pattern_ops);
create index household_location on household using gist (location);

-- A resident: registered (户籍), floating (流动, living here, registered elsewhere) or overseas
-- (境外). The ID number is the key: a GB 11643 resident ID number, or for overseas residents the
-- number of their travel or residence document.
create table resident (
  id           bigint generated always as identity primary key,
  id_number    text not null unique check (id_number ~ '^[0-9]{17}[0-9X]$' or id_number ~ '^[A-Z0-9]{5,20}$'),
  household_id bigint not null references household (id),
  kind         text not null check (kind in ('registered', 'floating', 'overseas')),
  full_name    text not null check (length(full_name) between 1 and 50),
  phone        text check (phone is null or phone ~ '^[0-9-]{7,20}$')
);
create index resident_household on resident (household_id);

-- WKT to a multipolygon, or null when the text is not one (an import reports the row instead of
-- failing the whole batch).
create function try_multipolygon(wkt text) returns geometry
  language plpgsql immutable parallel safe
as $$
declare
  g geometry;
begin
  g := ST_GeomFromText(wkt, 4326);
  if GeometryType(g) not in ('POLYGON', 'MULTIPOLYGON') or not ST_IsValid(g) then
    return null;
  end if;
  return ST_Multi(g);
exception when others then
  return null;
end;
$$;
