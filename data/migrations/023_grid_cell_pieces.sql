-- The outlines of the county and the levels above it, also kept cut into pieces of at most 256
-- vertices. A tile clips every outline under it, and a province's outline (a union of its counties'
-- real ones) has some 60,000 vertices: clipped whole, it cost every tile over the province a few
-- milliseconds, an empty one included. From z10 on the tiles clip only the pieces under them and
-- dissolve them per cell (server/tiles/queries.ts); below z10 a tile covers so much of the outline
-- that clipping it whole is cheaper. Towns and finer cells are small enough as they are.
create table grid_cell_piece (
  code      text not null references grid_cell (code) on delete cascade,
  geom_3857 geometry(Polygon, 3857) not null
);
create index grid_cell_piece_code on grid_cell_piece (code);
create index grid_cell_piece_geom_3857 on grid_cell_piece using gist (geom_3857);

-- Kept by triggers rather than by each writer (imports, the seed, the province generator, a
-- hand-made fix), like the grid's revision (022). A statement's changed cells are cut again once.
-- Made valid first and dumped to polygons: the tiles dissolve the pieces with ST_Union, which
-- needs valid input, and an outline drawn by hand may not be.
create function cut_grid_cell_pieces() returns trigger
  language plpgsql
as $$
begin
  delete from grid_cell_piece p using changed_cells c where p.code = c.code;
  insert into grid_cell_piece (code, geom_3857)
    select c.code, d.geom
    from changed_cells c, ST_Subdivide(ST_MakeValid(c.geom_3857), 256) as s(piece), ST_Dump(s.piece) as d
    where c.level <= 1 and ST_GeometryType(d.geom) = 'ST_Polygon';
  return null;
end;
$$;

create trigger grid_cell_pieces_insert after insert on grid_cell
  referencing new table as changed_cells for each statement execute function cut_grid_cell_pieces();
create trigger grid_cell_pieces_update after update on grid_cell
  referencing new table as changed_cells for each statement execute function cut_grid_cell_pieces();

insert into grid_cell_piece (code, geom_3857)
  select c.code, d.geom
  from grid_cell c, ST_Subdivide(ST_MakeValid(c.geom_3857), 256) as s(piece), ST_Dump(s.piece) as d
  where c.level <= 1 and ST_GeometryType(d.geom) = 'ST_Polygon';
