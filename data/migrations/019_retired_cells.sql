-- A grid version may retire cells (a household group merged into its neighbour). Cases keep the
-- cell they were reported in, so a case's grid_code may name a cell the current grid no longer
-- has: it stays readable in the versions that had it (grid_cell_version), and its prefixes still
-- roll it up to the village, town and county it was in. Households, grid staff and party
-- organisations are moved to the new cells by the import itself and keep their references.
alter table incident drop constraint incident_grid_code_fkey;
-- The figures are counted per code prefix of the cases, retired codes included.
alter table grid_incident_stats drop constraint grid_incident_stats_code_fkey;
