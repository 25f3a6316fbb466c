/**
 * Writes grid cells as a GeoPackage (OGC 12-128r18, version 1.2) with sql.js (SQLite in
 * WebAssembly), so an export needs no GDAL: the required tables, WGS 84 as srs 4326, and each
 * geometry as the GeoPackage binary header (little-endian, no envelope) in front of the
 * little-endian WKB PostGIS gives.
 */
import initSqlJs from 'sql.js'

export interface GeoPackageCell {
  code: string
  name: string
  level: number
  parent_code: string | null
  households: number
  population: number
  wkb: Uint8Array
}

const WGS84_WKT =
  'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]'

let sqlJs: Promise<initSqlJs.SqlJsStatic> | undefined

export async function writeGeoPackage(table: string, cells: GeoPackageCell[], bounds: [number, number, number, number] | null): Promise<Uint8Array> {
  sqlJs ??= initSqlJs()
  const db = new (await sqlJs).Database()
  try {
    db.run(`pragma application_id = 1196444487; pragma user_version = 10200;
      create table gpkg_spatial_ref_sys (srs_name text not null, srs_id integer primary key, organization text not null,
        organization_coordsys_id integer not null, definition text not null, description text);
      create table gpkg_contents (table_name text not null primary key, data_type text not null, identifier text unique,
        description text default '', last_change datetime not null default (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
        min_x double, min_y double, max_x double, max_y double, srs_id integer references gpkg_spatial_ref_sys(srs_id));
      create table gpkg_geometry_columns (table_name text not null, column_name text not null, geometry_type_name text not null,
        srs_id integer not null, z tinyint not null, m tinyint not null, primary key (table_name, column_name));`)
    db.run(
      `insert into gpkg_spatial_ref_sys values ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', null),
      ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', null), ('WGS 84 geodetic', 4326, 'EPSG', 4326, ?, 'longitude/latitude')`,
      [WGS84_WKT],
    )
    // The table name comes from the server's own allow-list (grid_cell, grid_cell_level_n), never a request.
    db.run(`create table "${table}" (fid integer primary key autoincrement not null, geom multipolygon, code text not null unique,
      name text not null, level integer not null, parent_code text, households integer not null, population integer not null)`)
    db.run(`insert into gpkg_contents (table_name, data_type, identifier, min_x, min_y, max_x, max_y, srs_id) values (?, 'features', ?, ?, ?, ?, ?, 4326)`, [
      table,
      table,
      ...(bounds ?? [null, null, null, null]),
    ])
    db.run(`insert into gpkg_geometry_columns values (?, 'geom', 'MULTIPOLYGON', 4326, 0, 0)`, [table])
    const insert = db.prepare(`insert into "${table}" (geom, code, name, level, parent_code, households, population) values (?, ?, ?, ?, ?, ?, ?)`)
    db.run('begin')
    for (const cell of cells) {
      const blob = new Uint8Array(8 + cell.wkb.byteLength)
      blob.set([0x47, 0x50, 0, 0b00000001])
      new DataView(blob.buffer).setInt32(4, 4326, true)
      blob.set(cell.wkb, 8)
      insert.run([blob, cell.code, cell.name, cell.level, cell.parent_code, cell.households, cell.population])
    }
    db.run('commit')
    insert.free()
    return db.export()
  } finally {
    db.close()
  }
}
