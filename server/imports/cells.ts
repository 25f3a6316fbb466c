/**
 * Turns the features of the files read into grid cells: which attribute is the code, the name, the
 * level and the parent (`--map`, or the usual names in Chinese and English), and every coordinate
 * transformed to WGS 84. Codes are the national division codes extended by three digits per level,
 * so a cell without a level or parent field takes them from its code.
 */
import type { Geometry, MultiPolygon, Position } from 'geojson'
import { type CrsSpec, createTransform, type Transform } from './crs.ts'
import type { SourceLayer } from './readers/index.ts'

export interface FieldMap {
  code?: string
  name?: string
  level?: string
  parent?: string
}

export interface ImportCell {
  code: string
  name: string
  level: number | null
  parentCode: string | null
  /** WGS 84; null when the feature has no polygon (reported as invalid-geometry). */
  geometry: MultiPolygon | null
  /** The geometry as read, transformed, when it was not a polygon (for the report's location). */
  otherGeometry: Geometry | null
  source: string
}

const FIELD_NAMES: Record<keyof FieldMap, string[]> = {
  code: ['code', 'grid_code', 'gridcode', 'cell_code', '编码', '网格编码', '代码', '区划代码', 'dm'],
  name: ['name', 'grid_name', 'cell_name', '名称', '网格名称', '网格名', 'mc'],
  level: ['level', 'grid_level', '层级', '级别', '网格层级'],
  parent: ['parent', 'parent_code', 'parentcode', '上级编码', '上级代码', '上级网格'],
}

/** Reads `code=FIELD,name=FIELD,level=FIELD,parent=FIELD`. */
export function parseFieldMap(text: string): FieldMap {
  const map: FieldMap = {}
  for (const pair of text.split(',')) {
    const [key, value] = pair.split('=').map((s) => s.trim())
    if (!key || !value || !(key in FIELD_NAMES)) throw new Error(`--map: "${pair}" is not key=FIELD with key one of code, name, level, parent`)
    map[key as keyof FieldMap] = value
  }
  return map
}

export interface CellsOptions {
  map?: FieldMap
  /** Overrides the coordinate system the files declare (`--crs`). */
  crs?: CrsSpec
}

export function cellsOfLayers(layers: SourceLayer[], options: CellsOptions = {}): { cells: ImportCell[]; crsLabels: string[] } {
  const cells: ImportCell[] = []
  const crsLabels: string[] = []
  for (const layer of layers) {
    const crs = options.crs ?? layer.crs
    if (!crs) throw new Error(`${layer.file} (${layer.layer}): the file does not say its coordinate system; use --crs EPSG:n`)
    crsLabels.push(`${layer.file}:${layer.layer} ${crs.label} (${options.crs ? '--crs' : layer.crsSource})`)
    const transform = createTransform(crs)
    const fields = Object.keys(layer.features[0]?.properties ?? {})
    const field = (key: keyof FieldMap): string | undefined => {
      const chosen = options.map?.[key]
      if (chosen) {
        if (layer.features.length > 0 && !fields.includes(chosen))
          throw new Error(`${layer.file} (${layer.layer}): --map ${key}=${chosen}: no such field (fields: ${fields.join(', ')})`)
        return chosen
      }
      return fields.find((f) => FIELD_NAMES[key].includes(f.toLowerCase()))
    }
    const codeField = field('code')
    if (!codeField && layer.features.length > 0) {
      const garbled = fields.some((f) => f.includes('\uFFFD'))
        ? '; the attribute encoding seems wrong: use --encoding gbk (or the .cpg)'
        : '; use --map code=FIELD'
      throw new Error(`${layer.file} (${layer.layer}): no code field (fields: ${fields.join(', ')})${garbled}`)
    }
    const nameField = field('name')
    const levelField = field('level')
    const parentField = field('parent')
    layer.features.forEach((feature, index) => {
      const text = (name: string | undefined): string => (name === undefined ? '' : String(feature.properties[name] ?? '').trim())
      const code = text(codeField)
      const levelText = text(levelField)
      const derivedLevel = /^[0-9]+$/.test(code) && code.length >= 6 && code.length % 3 === 0 ? (code.length - 3) / 3 : null
      const level = levelText === '' ? derivedLevel : /^[0-9]+$/.test(levelText) ? Number(levelText) : null
      const parentText = text(parentField)
      const parentCode = parentText !== '' ? parentText : level !== null && level > 1 && code.length > 6 ? code.slice(0, -3) : null
      const transformed = feature.geometry ? transformGeometry(feature.geometry, transform) : null
      cells.push({
        code,
        name: text(nameField) || code,
        level,
        parentCode,
        geometry: transformed && toMultiPolygon(transformed),
        otherGeometry: transformed && !toMultiPolygon(transformed) ? transformed : null,
        source: `${layer.file}:${layer.layer}#${index + 1}`,
      })
    })
  }
  return { cells, crsLabels }
}

function toMultiPolygon(geometry: Geometry): MultiPolygon | null {
  if (geometry.type === 'MultiPolygon') return geometry.coordinates.length > 0 ? geometry : null
  if (geometry.type === 'Polygon') return geometry.coordinates.length > 0 ? { type: 'MultiPolygon', coordinates: [geometry.coordinates] } : null
  return null
}

export function transformGeometry(geometry: Geometry, transform: Transform): Geometry {
  const point = (p: Position): Position => transform([p[0]!, p[1]!])
  switch (geometry.type) {
    case 'Point':
      return { type: 'Point', coordinates: point(geometry.coordinates) }
    case 'MultiPoint':
      return { type: 'MultiPoint', coordinates: geometry.coordinates.map(point) }
    case 'LineString':
      return { type: 'LineString', coordinates: geometry.coordinates.map(point) }
    case 'MultiLineString':
      return { type: 'MultiLineString', coordinates: geometry.coordinates.map((l) => l.map(point)) }
    case 'Polygon':
      return { type: 'Polygon', coordinates: geometry.coordinates.map((r) => r.map(point)) }
    case 'MultiPolygon':
      return { type: 'MultiPolygon', coordinates: geometry.coordinates.map((p) => p.map((r) => r.map(point))) }
    case 'GeometryCollection':
      return { type: 'GeometryCollection', geometries: geometry.geometries.map((g) => transformGeometry(g, transform)) }
  }
}
