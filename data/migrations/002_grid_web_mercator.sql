-- Vector tiles are cut in Web Mercator (EPSG:3857). Keeping a projected copy of every cell
-- saves a ST_Transform per feature per tile request; the GiST index serves the tile's && filter.
alter table grid_cell add column geom_3857 geometry(MultiPolygon, 3857)
  generated always as (ST_Transform(geom, 3857)) stored;
create index grid_cell_geom_3857 on grid_cell using gist (geom_3857);
