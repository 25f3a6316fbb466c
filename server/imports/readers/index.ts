/**
 * Reads the files a county's GIS staff hand over: GeoJSON, Shapefile (a .zip, or a .shp with its
 * .dbf/.prj/.cpg beside it), GeoPackage (read with sql.js, SQLite in WebAssembly) and FlatGeobuf,
 * all in JavaScript so the import needs no GDAL and works with the embedded database. Each layer
 * comes back with its features as written (source coordinates) and the coordinate system the file
 * declares (null when it declares none).
 */
import { readFile } from 'node:fs/promises'
import { readdir } from 'node:fs/promises'
import { basename, dirname, extname, join } from 'node:path'
import type { Geometry } from 'geojson'
import { unzipSync } from 'fflate'
import { deserialize as deserializeFlatGeobuf } from 'flatgeobuf/lib/mjs/geojson.js'
import * as shapefile from 'shapefile'
import initSqlJs from 'sql.js'
import { type CrsSpec, epsgDefinition, epsgSpec, parseCrsName, wktSpec } from '../crs.ts'
import { parseGeoPackageGeometry } from './wkb.ts'

export interface SourceFeature {
  properties: Record<string, unknown>
  geometry: Geometry | null
}

export interface SourceLayer {
  file: string
  layer: string
  crs: CrsSpec | null
  /** Where the coordinate system came from, for the log: ".prj", "gpkg srs 4546", "GeoJSON crs"… */
  crsSource: string
  features: SourceFeature[]
}

export interface ReadOptions {
  /** One layer of a GeoPackage or a zip of several shapefiles. */
  layer?: string
  /** Attribute encoding of shapefiles without a .cpg (or overriding it): gbk, utf-8… */
  encoding?: string
}

export class ReadError extends Error {}

export async function readGridFile(path: string, options: ReadOptions = {}): Promise<SourceLayer[]> {
  const extension = extname(path).toLowerCase()
  const bytes = new Uint8Array(await readFile(path))
  const file = basename(path)
  let layers: SourceLayer[]
  if (extension === '.geojson' || extension === '.json') layers = [readGeoJson(bytes, file)]
  else if (extension === '.zip') layers = await readShapefileZip(bytes, file, options)
  else if (extension === '.shp') layers = [await readShapefile(await shapefileParts(path), file, basename(path, extname(path)), options)]
  else if (extension === '.gpkg') layers = await readGeoPackage(bytes, file)
  else if (extension === '.fgb') layers = [await readFlatGeobuf(bytes, file)]
  else throw new ReadError(`${file}: unknown format (expected .geojson, .json, .zip, .shp, .gpkg or .fgb)`)
  if (options.layer !== undefined) {
    const chosen = layers.filter((l) => l.layer === options.layer)
    if (chosen.length === 0) throw new ReadError(`${file}: no layer "${options.layer}" (layers: ${layers.map((l) => l.layer).join(', ')})`)
    return chosen
  }
  return layers
}

export function readGeoJson(bytes: Uint8Array, file: string): SourceLayer {
  let document: { type?: string; crs?: { properties?: { name?: string } }; features?: unknown[]; geometry?: Geometry; properties?: Record<string, unknown> }
  try {
    document = JSON.parse(new TextDecoder('utf-8').decode(bytes))
  } catch {
    throw new ReadError(`${file}: not valid JSON`)
  }
  const features = document.type === 'FeatureCollection' ? (document.features ?? []) : document.type === 'Feature' ? [document] : null
  if (!features) throw new ReadError(`${file}: not a GeoJSON Feature or FeatureCollection`)
  const crsName = document.crs?.properties?.name
  // RFC 7946: GeoJSON without a crs member is WGS 84 longitude/latitude.
  let crs: CrsSpec | null = epsgSpec(4326)
  if (crsName) {
    try {
      crs = parseCrsName(crsName)
    } catch (error) {
      throw new ReadError(`${file}: ${(error as Error).message}`)
    }
  }
  return {
    file,
    layer: basename(file, extname(file)),
    crs,
    crsSource: crsName ? 'GeoJSON crs' : 'GeoJSON default',
    features: features.map((f) => {
      const feature = f as { properties?: Record<string, unknown> | null; geometry?: Geometry | null }
      return { properties: feature.properties ?? {}, geometry: feature.geometry ?? null }
    }),
  }
}

interface ShapefileParts {
  shp: Uint8Array
  dbf?: Uint8Array
  prj?: string
  cpg?: string
}

async function shapefileParts(shpPath: string): Promise<ShapefileParts> {
  const dir = dirname(shpPath)
  const stem = basename(shpPath, extname(shpPath)).toLowerCase()
  const siblings = await readdir(dir)
  const find = (ext: string): string | undefined => siblings.find((name) => name.toLowerCase() === `${stem}.${ext}`)
  const read = async (ext: string): Promise<Uint8Array | undefined> => {
    const name = find(ext)
    return name ? new Uint8Array(await readFile(join(dir, name))) : undefined
  }
  const prj = await read('prj')
  const cpg = await read('cpg')
  return {
    shp: new Uint8Array(await readFile(shpPath)),
    dbf: await read('dbf'),
    prj: prj && new TextDecoder().decode(prj),
    cpg: cpg && new TextDecoder().decode(cpg),
  }
}

async function readShapefileZip(bytes: Uint8Array, file: string, options: ReadOptions): Promise<SourceLayer[]> {
  let entries: Record<string, Uint8Array>
  try {
    entries = unzipSync(bytes)
  } catch {
    throw new ReadError(`${file}: not a readable zip archive`)
  }
  const byStem = new Map<string, Map<string, Uint8Array>>()
  for (const [name, content] of Object.entries(entries)) {
    if (name.startsWith('__MACOSX/') || name.endsWith('/')) continue
    const ext = extname(name).toLowerCase().slice(1)
    const stem = name.slice(0, name.length - ext.length - 1)
    if (!byStem.has(stem)) byStem.set(stem, new Map())
    byStem.get(stem)!.set(ext, content)
  }
  const layers: SourceLayer[] = []
  for (const [stem, parts] of [...byStem].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const shp = parts.get('shp')
    if (!shp) continue
    const text = (ext: string): string | undefined => {
      const content = parts.get(ext)
      return content && new TextDecoder().decode(content)
    }
    layers.push(await readShapefile({ shp, dbf: parts.get('dbf'), prj: text('prj'), cpg: text('cpg') }, file, basename(stem), options))
  }
  if (layers.length === 0) throw new ReadError(`${file}: the zip holds no .shp`)
  return layers
}

/** The code page a .cpg names (ESRI writes "GBK", "936", "UTF-8", "65001", "ANSI 936"…). */
export function encodingOfCpg(cpg: string): string {
  const text = cpg
    .trim()
    .toLowerCase()
    .replace(/^ansi\s*/, '')
  if (text === '936' || text === 'cp936' || text === 'gb2312') return 'gbk'
  if (text === '65001' || text === 'utf8') return 'utf-8'
  if (text === '54936') return 'gb18030'
  if (/^[0-9]+$/.test(text)) return `windows-${text}`
  return text
}

async function readShapefile(parts: ShapefileParts, file: string, layer: string, options: ReadOptions): Promise<SourceLayer> {
  const encoding = options.encoding ?? (parts.cpg ? encodingOfCpg(parts.cpg) : 'utf-8')
  try {
    new TextDecoder(encoding)
  } catch {
    throw new ReadError(`${file}: unknown attribute encoding "${encoding}" (use --encoding gbk, utf-8…)`)
  }
  if (!parts.dbf) throw new ReadError(`${file}: the shapefile ${layer} has no .dbf (its attributes)`)
  const features: SourceFeature[] = []
  try {
    const source = await shapefile.open(parts.shp, parts.dbf, { encoding })
    for (;;) {
      const { done, value } = await source.read()
      if (done) break
      features.push({ properties: value.properties ?? {}, geometry: (value.geometry as Geometry | null) ?? null })
    }
  } catch (error) {
    throw new ReadError(`${file}: the shapefile ${layer} could not be read (${(error as Error).message})`)
  }
  let crs: CrsSpec | null = null
  if (parts.prj) {
    try {
      crs = wktSpec(parts.prj)
    } catch (error) {
      throw new ReadError(`${file}: ${layer}.prj: ${(error as Error).message}`)
    }
  }
  return { file, layer, crs, crsSource: parts.prj ? '.prj' : 'none', features }
}

let sqlJs: Promise<initSqlJs.SqlJsStatic> | undefined

async function readGeoPackage(bytes: Uint8Array, file: string): Promise<SourceLayer[]> {
  sqlJs ??= initSqlJs()
  const SQL = await sqlJs
  let db: initSqlJs.Database
  try {
    db = new SQL.Database(bytes)
    db.exec('select 1 from gpkg_contents limit 1')
  } catch {
    throw new ReadError(`${file}: not a GeoPackage (no gpkg_contents table)`)
  }
  try {
    const rows = (statement: string, params: initSqlJs.BindParams = []): Record<string, initSqlJs.SqlValue>[] => {
      const prepared = db.prepare(statement)
      prepared.bind(params)
      const out: Record<string, initSqlJs.SqlValue>[] = []
      while (prepared.step()) out.push(prepared.getAsObject())
      prepared.free()
      return out
    }
    const tables = rows(
      `select c.table_name, g.column_name, g.srs_id, s.organization, s.organization_coordsys_id, s.definition
         from gpkg_contents c join gpkg_geometry_columns g on g.table_name = c.table_name
         left join gpkg_spatial_ref_sys s on s.srs_id = g.srs_id
        where c.data_type = 'features' order by c.table_name`,
    )
    const layers: SourceLayer[] = []
    for (const table of tables) {
      const name = String(table.table_name)
      const geometryColumn = String(table.column_name)
      let crs: CrsSpec | null = null
      const org = String(table.organization ?? '').toLowerCase()
      const orgCode = Number(table.organization_coordsys_id)
      if (org === 'epsg' && epsgDefinition(orgCode)) crs = epsgSpec(orgCode)
      else if (table.definition && String(table.definition) !== 'undefined') crs = wktSpec(String(table.definition))
      const quoted = (identifier: string): string => `"${identifier.replaceAll('"', '""')}"`
      const features: SourceFeature[] = rows(`select * from ${quoted(name)}`).map((row) => {
        const properties: Record<string, unknown> = {}
        let geometry: Geometry | null = null
        for (const [key, value] of Object.entries(row)) {
          if (key === geometryColumn) geometry = value instanceof Uint8Array ? parseGeoPackageGeometry(value).geometry : null
          else if (!(value instanceof Uint8Array)) properties[key] = value
        }
        return { properties, geometry }
      })
      layers.push({ file, layer: name, crs, crsSource: `gpkg srs ${String(table.srs_id)}`, features })
    }
    if (layers.length === 0) throw new ReadError(`${file}: the GeoPackage holds no feature table`)
    return layers
  } finally {
    db.close()
  }
}

async function readFlatGeobuf(bytes: Uint8Array, file: string): Promise<SourceLayer> {
  let crs: CrsSpec | null = null
  let crsSource = 'none'
  let crsError: string | undefined
  const features: SourceFeature[] = []
  try {
    const iterator = deserializeFlatGeobuf(bytes, {
      headerMetaFn: (header) => {
        const meta = header.crs
        if (!meta) return
        crsSource = 'FlatGeobuf crs'
        try {
          if (meta.org?.toLowerCase() === 'epsg' && epsgDefinition(meta.code)) crs = epsgSpec(meta.code)
          else if (meta.wkt) crs = wktSpec(meta.wkt)
          else if (meta.code) crs = epsgSpec(meta.code)
        } catch (error) {
          crsError = (error as Error).message
        }
      },
    })
    for await (const feature of iterator) {
      features.push({ properties: (feature.properties as Record<string, unknown>) ?? {}, geometry: (feature.geometry as Geometry) ?? null })
    }
  } catch (error) {
    throw new ReadError(`${file}: not a readable FlatGeobuf file (${(error as Error).message})`)
  }
  if (crsError) throw new ReadError(`${file}: ${crsError}`)
  return { file, layer: basename(file, extname(file)), crs, crsSource, features }
}
