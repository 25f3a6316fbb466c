/**
 * The public shapes of the demo-grid generator: what it reads (GridSource, one county's folder
 * of official division codes, a boundary file and hand-written hints) and what it produces
 * (GeneratedGrid: five levels of cells with geometry and attributes, the grid staff, the party
 * organisation and the neighbouring divisions for map context). Everything below level 3 is
 * synthetic; the types say nothing Dianbai-specific so another county's folder can be used.
 */
import type { FeatureCollection, MultiPolygon } from 'geojson'

export type Level = 1 | 2 | 3 | 4 | 5

export interface GridCell {
  /** Level 1: the 6-digit county code; each level below appends 3 digits (9, 12, 15, 18). */
  code: string
  level: Level
  /** Short name as shown in a breadcrumb: 电白区 / 电海街道 / 蓝田坡村委会 / 第3村民小组 / 第2住户小组. */
  name: string
  parentCode: string | null
  /** Level 5: its own count; levels 1–4: the sum over the children. */
  households: number
  /** Same roll-up rule as households. */
  population: number
  /** WGS84 lon/lat on a 1e-7° lattice, closed rings, outer rings counter-clockwise (RFC 7946). */
  geometry: { type: 'MultiPolygon'; coordinates: number[][][][] }
  /** A point inside the cell, for labels. */
  labelPoint: [number, number]
}

export interface GridPerson {
  cellCode: string
  role: 'grid_worker' | 'grid_leader'
  fullName: string
  phone: string
}

export interface PartyOrg {
  cellCode: string
  kind: 'village_committee' | 'general_branch' | 'grid_branch' | 'party_group'
  name: string
}

export interface ContextRegion {
  code: string
  name: string
  geometry: MultiPolygon
}

export interface GeneratedGrid {
  /** Sorted by code. */
  cells: GridCell[]
  people: GridPerson[]
  partyOrgs: PartyOrg[]
  /** The other divisions of the boundary file, for map context. */
  context: ContextRegion[]
}

export interface SourceDivision {
  level: number
  code: string
  name: string
  parentCode: string | null
}

/**
 * County-wide figures the synthetic levels must match exactly. A county folder without a
 * figures file gets typical ratios instead (see resolveFigures in allocate.ts).
 */
export interface GridFigures {
  /** Level-4 cells (村(居)民小组) in the whole county. */
  villagerGroups: number
  /** Level-5 cells (住户小组) in the whole county. */
  householdGroups: number
  villagePartyCommittees: number
  generalPartyBranches: number
  gridPartyBranches: number
  partyGroups: number
}

export interface GridSource {
  divisions: SourceDivision[]
  boundaries: FeatureCollection
  /** Approximate town centres (lon, lat) by level-2 code; towns without one get a sampled point. */
  anchors: Map<string, [number, number]>
  /** County figures (grid-figures.csv); missing keys fall back to typical ratios. */
  figures?: Partial<GridFigures>
}

export type ProgressFn = (done: number, total: number, stage: string) => void
