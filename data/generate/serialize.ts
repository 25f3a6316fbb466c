/**
 * The canonical text of a generated grid: JSON with a fixed key order and every list sorted,
 * built explicitly rather than trusting object insertion order, because determinism is judged on
 * these bytes (their sha256). Coordinates are already lattice values (k / 1e7), which
 * JSON.stringify prints with at most seven decimals.
 */
import type { GeneratedGrid } from './types.ts'

const byCode = <T extends { code: string }>(a: T, b: T) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
const byCell =
  <T extends { cellCode: string }>(key: (x: T) => string) =>
  (a: T, b: T) =>
    a.cellCode < b.cellCode ? -1 : a.cellCode > b.cellCode ? 1 : key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0

export function serializeGrid(grid: GeneratedGrid): string {
  return JSON.stringify({
    cells: [...grid.cells].sort(byCode).map((c) => ({
      code: c.code,
      level: c.level,
      name: c.name,
      parentCode: c.parentCode,
      households: c.households,
      population: c.population,
      labelPoint: [c.labelPoint[0], c.labelPoint[1]],
      geometry: { type: c.geometry.type, coordinates: c.geometry.coordinates },
    })),
    people: [...grid.people].sort(byCell((p) => p.role)).map((p) => ({ cellCode: p.cellCode, role: p.role, fullName: p.fullName, phone: p.phone })),
    partyOrgs: [...grid.partyOrgs].sort(byCell((o) => o.kind)).map((o) => ({ cellCode: o.cellCode, kind: o.kind, name: o.name })),
    context: [...grid.context]
      .sort(byCode)
      .map((r) => ({ code: r.code, name: r.name, geometry: { type: r.geometry.type, coordinates: r.geometry.coordinates } })),
  })
}
