-- The outlines of the town and the levels above it, simplified for the tiles below z10. A z8 tile
-- over Maoming holds the province's outline (some 60,000 vertices), six cities', 22 counties' and
-- 193 towns': 190,000 vertices clipped and snapped to a 4,096-unit grid where one unit is 38 m.
-- Simplified within 20 m (a z9 tile's unit: less than a pixel at any zoom these tiles are drawn
-- at), which takes the towns' outlines across the province from 383,000 vertices to 120,000; the
-- province's and cities' lose less (their vertices lie about 100 m apart in the source). ST_Simplify-
-- PreserveTopology keeps each ring simple; ST_AsMVTGeom repairs what an invalid source outline
-- brings. Kept with the cell, like geom_3857; finer levels are not drawn below z9 and stay null.
alter table grid_cell add column geom_3857_low geometry(MultiPolygon, 3857)
  generated always as (
    case when level <= 2 then ST_Multi(ST_SimplifyPreserveTopology(ST_Transform(geom, 3857), 20)) end
  ) stored;
