-- Villages join the simplified outlines of migration 025. They are first drawn at z9, where a
-- tile over Maoming in a province holds some 1,150 villages with 50,000 vertices, more than its
-- province, cities, counties and towns together; simplified within the same 20 m (a z9 tile unit)
-- they keep 14,500. Tiles from z10 on draw the villages as they are. PostgreSQL 15 cannot change
-- a generated column's expression, so the column is made again.
alter table grid_cell drop column geom_3857_low;
alter table grid_cell add column geom_3857_low geometry(MultiPolygon, 3857)
  generated always as (
    case when level <= 3 then ST_Multi(ST_SimplifyPreserveTopology(ST_Transform(geom, 3857), 20)) end
  ) stored;
