/**
 * Ten million incidents for a province, with Dianbai's mix, made fast enough to load in minutes.
 * Walking every case through the workflow (history.ts) costs too much at that count, so the
 * demo's 12-month Dianbai history is made once and serves as the templates: each province incident
 * takes one template's category, severity, source, status, handling level and times (moved up to
 * half an hour earlier, so nothing passes `end`), and is placed at a point inside a household group
 * of its own county, drawn by households. So the category, severity and status mix and the year's
 * rhythm are Dianbai's, and the incident's cell is known from where it was placed: no
 * point-in-polygon lookup in the database. Pure: same county grid, templates and count → the same
 * COPY lines. No event log is written for these cases (its rows would be six times as many, and
 * nothing measured at province scale reads them).
 */
import { hashString, mulberry32 } from '../../data/generate/prng.ts'
import { villageShortName } from '../../data/generate/naming.ts'
import type { GeneratedGrid } from '../../data/generate/index.ts'
import type { HistoryIncident } from './history.ts'
import { WeightedPicker } from './model.ts'

/** The incident columns the COPY lines fill, in order. */
export const PROVINCE_INCIDENT_COLUMNS = [
  'category',
  'severity',
  'title',
  'description',
  'source',
  'reporter',
  'occurred_at',
  'reported_at',
  'location',
  'grid_code',
  'handling_level',
  'status',
  'due_at',
  'closed_at',
  'parties',
  'updated_at',
] as const

/** The templates as numbers and pre-escaped text, so a row costs little more than its point. */
export interface IncidentTemplates {
  count: number
  category: string[]
  categoryName: string[]
  severity: string[]
  /** The source and reporter, as COPY fields. */
  sourceReporter: string[]
  occurredAt: Float64Array
  reportedAt: Float64Array
  dueAt: Float64Array
  /** NaN when not closed. */
  closedAt: Float64Array
  updatedAt: Float64Array
  handlingLevel: Int8Array
  status: string[]
  parties: string[]
}

const HALF_HOUR_S = 1800

export function prepareTemplates(history: readonly HistoryIncident[], categoryNames: ReadonlyMap<string, string>): IncidentTemplates {
  const n = history.length
  const t: IncidentTemplates = {
    count: n,
    category: [],
    categoryName: [],
    severity: [],
    sourceReporter: [],
    occurredAt: new Float64Array(n),
    reportedAt: new Float64Array(n),
    dueAt: new Float64Array(n),
    closedAt: new Float64Array(n),
    updatedAt: new Float64Array(n),
    handlingLevel: new Int8Array(n),
    status: [],
    parties: [],
  }
  history.forEach((h, i) => {
    t.category.push(h.category)
    t.categoryName.push(categoryNames.get(h.category) ?? h.category)
    t.severity.push(String(h.severity))
    t.sourceReporter.push(`${h.source}\t${copyText(h.reporter)}`)
    t.occurredAt[i] = Date.parse(h.occurredAt)
    t.reportedAt[i] = Date.parse(h.reportedAt)
    t.dueAt[i] = Date.parse(h.dueAt)
    t.closedAt[i] = h.closedAt ? Date.parse(h.closedAt) : Number.NaN
    t.updatedAt[i] = Date.parse(h.updatedAt)
    t.handlingLevel[i] = h.handlingLevel
    t.status.push(h.status)
    t.parties.push(copyText(JSON.stringify(h.parties)))
  })
  return t
}

/**
 * The COPY text lines (PROVINCE_INCIDENT_COLUMNS, tab-separated, newline-terminated) of `count`
 * incidents in one county's household groups, drawn from `templates`.
 */
export function* countyIncidentLines(grid: GeneratedGrid, templates: IncidentTemplates, count: number): Generator<string> {
  if (count === 0) return
  const county = grid.cells.find((c) => c.level === 1)!
  const groups = grid.cells.filter((c) => c.level === 5)
  const villageNames = new Map(grid.cells.filter((c) => c.level === 3).map((c) => [c.code, villageShortName(c.name)]))
  const picker = new WeightedPicker(groups.map((g) => Math.max(1, g.households)))
  const random = mulberry32(hashString(`province-incidents|${county.code}|${count}|${templates.count}`))
  const shapes = new Map<number, CellShape>()
  for (let k = 0; k < count; k++) {
    const i = Math.floor(random() * templates.count)
    const g = picker.pick(random)
    const cell = groups[g]!
    let shape = shapes.get(g)
    if (!shape) shapes.set(g, (shape = cellShape(cell.geometry.coordinates, cell.labelPoint)))
    const [lon, lat] = pointIn(shape, random)
    const shift = Math.floor(random() * HALF_HOUR_S) * 1000
    const closed = templates.closedAt[i]!
    const title = copyText(`${villageNames.get(cell.code.slice(0, 12)) ?? ''}${templates.categoryName[i]}`)
    const at = (ms: number) => iso(ms - shift)
    yield `${templates.category[i]}\t${templates.severity[i]}\t${title}\t\t${templates.sourceReporter[i]}\t${at(templates.occurredAt[i]!)}\t${at(templates.reportedAt[i]!)}\tSRID=4326;POINT(${lon} ${lat})\t${cell.code}\t${templates.handlingLevel[i]}\t${templates.status[i]}\t${at(templates.dueAt[i]!)}\t${Number.isNaN(closed) ? '\\N' : at(closed)}\t${templates.parties[i]}\t${at(templates.updatedAt[i]!)}\n`
  }
}

/** How many of `total` incidents each county gets, in proportion to its household groups. */
export function incidentShares(total: number, householdGroups: readonly number[]): number[] {
  const sum = householdGroups.reduce((a, b) => a + b, 0)
  const quotas = householdGroups.map((h) => (total * h) / sum)
  const counts = quotas.map(Math.floor)
  let left = total - counts.reduce((a, b) => a + b, 0)
  const order = quotas.map((q, i) => [q - Math.floor(q), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1])
  for (let k = 0; left > 0; k++, left--) counts[order[k % counts.length]![1]]! += 1
  return counts
}

interface CellShape {
  rings: number[][][]
  minX: number
  minY: number
  w: number
  h: number
  fallback: [number, number]
}

function cellShape(coordinates: number[][][][], labelPoint: [number, number]): CellShape {
  const rings = coordinates.flat()
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity
  for (const ring of rings)
    for (const [x, y] of ring) (minX = Math.min(minX, x!)), (minY = Math.min(minY, y!)), (maxX = Math.max(maxX, x!)), (maxY = Math.max(maxY, y!))
  return { rings, minX, minY, w: maxX - minX, h: maxY - minY, fallback: labelPoint }
}

/** A point strictly inside the cell (even-odd over its rings), on the 1e-7° lattice; the label point if 200 draws miss. */
function pointIn(shape: CellShape, random: () => number): [number, number] {
  for (let tries = 0; tries < 200; tries++) {
    const x = Math.round((shape.minX + random() * shape.w) * 1e7) / 1e7
    const y = Math.round((shape.minY + random() * shape.h) * 1e7) / 1e7
    if (inside(shape.rings, x, y)) return [x, y]
  }
  return shape.fallback
}

function inside(rings: number[][][], x: number, y: number): boolean {
  let odd = false
  for (const ring of rings)
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i]!
      const [xj, yj] = ring[j]!
      if (yi! > y !== yj! > y && x < ((xj! - xi!) * (y - yi!)) / (yj! - yi!) + xi!) odd = !odd
    }
  return odd
}

const iso = (ms: number) => new Date(ms).toISOString()

/** A value as COPY's text format wants it: backslash, tab and line breaks escaped. */
export function copyText(value: string): string {
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'))
}
