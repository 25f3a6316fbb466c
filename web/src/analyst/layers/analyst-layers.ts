/**
 * The analyst map's deck.gl layers, built from one PointSet (typed columns, no per-point
 * objects): heatmap and points read the same buffers as binary attributes and carry the same
 * DataFilterExtension over the time column (a narrower window, playback) and over each point's subcategory, status
 * and severity (the selection's narrowing, point-selection.ts), so playback and a narrowed filter
 * move uniforms (filterRange, the category masks) instead of fetching or uploading anything; the hexagon bins are counted from the same columns (hexbin.ts). The choropleth colours the grid cells of the
 * current view by incidents per 1,000 households. Ids are stable; accessors are module-level.
 */
import type { Layer, PickingInfo } from '@deck.gl/core'
import { DataFilterExtension, type DataFilterExtensionProps } from '@deck.gl/extensions'
import { ColumnLayer, GeoJsonLayer, ScatterplotLayer } from '@deck.gl/layers'
import type { Feature, Geometry } from 'geojson'
import type { PointSet } from '../point-set.ts'
import { filterCategoriesOf, type PointFilter } from '../point-selection.ts'
import type { RatedCellProperties } from '../rate-classes.ts'
import { binClass, type HexBin } from '../hexbin.ts'
import { TimedHeatmapLayer } from './timed-heatmap-layer.ts'
import { BIN_COLORS, HEAT_COLORS, RATE_FILLS, RATE_LINE } from './layer-colors.ts'

export const LAYER_IDS = ['choropleth', 'bins', 'heatmap', 'points'] as const
export type AnalystLayerId = (typeof LAYER_IDS)[number]

/**
 * DataFilterExtension whose category values are their own keys: value v is bit v of its channel's
 * mask. The keys arrive as a binary attribute (PointSet.filterKeys), which the extension uploads as
 * given, without the value → key map it builds when it calls an accessor; its mask must then be
 * built the same way (categoryBitMaskOf), which this override makes it do.
 */
class KeyedCategoryFilter extends DataFilterExtension {
  static override extensionName = 'KeyedCategoryFilter'
  override _getCategoryKey(this: Layer<DataFilterExtensionProps>, category: number | string): number {
    return Number(category)
  }
}

/** One extension instance for every layer and render: a new one would recompile the shaders. */
const POINT_FILTER = new KeyedCategoryFilter({ filterSize: 1, categorySize: 3 })

export interface TimeFilter {
  /** [first, last] whole time units since the point set's base, both kept (point-set.ts unitRangeOf); null: every point shown. */
  range: [number, number] | null
  /** The selection's categories, statuses and severities kept of the held points. */
  points: PointFilter
}

/**
 * The binary `data` of each layer kind, made once per point set: a new data object is "new
 * data" to deck.gl (attributes uploaded again, the heatmap re-aggregated), and the page
 * re-renders every frame during playback.
 */
type BinaryKind = 'heat' | 'heat-weighted' | 'points'
const binaryData = new WeakMap<PointSet, Map<BinaryKind, object>>()

function dataOf(points: PointSet, kind: BinaryKind) {
  let kinds = binaryData.get(points)
  if (!kinds) binaryData.set(points, (kinds = new Map()))
  let data = kinds.get(kind)
  if (!data) {
    const getPosition = { value: points.positions, size: 2 }
    const getFilterValue = { value: points.times, size: 1 }
    const getFilterCategory = { value: points.filterKeys, size: 3, type: 'uint32' }
    const filters = { getFilterValue, getFilterCategory }
    const attributes =
      kind === 'heat-weighted'
        ? { getPosition, ...filters, getWeight: { value: points.severity, size: 1 } }
        : kind === 'points'
          ? { getPosition, ...filters, getFillColor: { value: points.colors, size: 4, type: 'unorm8' } }
          : { getPosition, ...filters }
    data = { length: points.length, attributes }
    kinds.set(kind, data)
  }
  // deck.gl's binary data: typed as the layers' data prop, which the typings keep to arrays.
  return data as never
}

/** No time cut: wider than any point's time (units since the base, below 2^24). */
const ALL_TIME: [number, number] = [-1e15, 1e15]

function timeFilterProps(filter: TimeFilter) {
  return {
    extensions: [POINT_FILTER],
    filterEnabled: filter.range !== null || !filter.points.open,
    filterRange: filter.range ?? ALL_TIME,
    // The same array for the same PointFilter: the heatmap redraws its weights when it changes.
    filterCategories: filterCategoriesOf(filter.points),
  }
}

export function createHeatmapLayer(points: PointSet, weighted: boolean, filter: TimeFilter) {
  return new TimedHeatmapLayer({
    id: 'heatmap',
    data: dataOf(points, weighted ? 'heat-weighted' : 'heat'),
    getWeight: 1,
    radiusPixels: 28,
    intensity: 1,
    threshold: 0.04,
    colorRange: HEAT_COLORS,
    // Playback moves filterRange every frame: no debounce, the weights are redrawn at once.
    debounceTimeout: 0,
    ...timeFilterProps(filter),
  })
}

export interface BinSet {
  bins: HexBin[]
  max: number
  radius: number
}

const getBinPosition = (bin: HexBin) => bin.position

/** Hexagon bins (hexbin.ts) as flat six-sided columns, coloured by count from 1 to the largest bin. */
export function createBinsLayer(set: BinSet) {
  const colors = BIN_COLORS.map(([r, g, b]) => [r, g, b, 215] as [number, number, number, number])
  return new ColumnLayer<HexBin>({
    id: 'bins',
    data: set.bins,
    diskResolution: 6,
    radius: set.radius * 0.92,
    extruded: false,
    getPosition: getBinPosition,
    getFillColor: (bin) => colors[binClass(bin.count, set.max, colors.length)]!,
    pickable: true,
    updateTriggers: { getFillColor: set.max },
  })
}

export function createPointsLayer(points: PointSet, filter: TimeFilter) {
  return new ScatterplotLayer({
    id: 'points',
    data: dataOf(points, 'points'),
    getRadius: 2.5,
    radiusUnits: 'pixels',
    radiusMinPixels: 1.5,
    stroked: false,
    ...timeFilterProps(filter),
  })
}

type RatedCell = Feature<Geometry, RatedCellProperties>
const getRateFill = (cell: RatedCell) => RATE_FILLS[cell.properties.rateClass] ?? RATE_FILLS[0]!

export function createChoroplethLayer(cells: readonly RatedCell[]) {
  return new GeoJsonLayer<RatedCellProperties>({
    id: 'choropleth',
    data: cells as RatedCell[],
    filled: true,
    stroked: true,
    getFillColor: getRateFill,
    getLineColor: RATE_LINE,
    getLineWidth: 1,
    lineWidthUnits: 'pixels',
    pickable: true,
    updateTriggers: { getFillColor: cells },
  })
}

export function createLayer(
  id: AnalystLayerId,
  input: { points: PointSet | null; cells: readonly RatedCell[]; weighted: boolean; filter: TimeFilter; bins: BinSet | null },
): Layer | null {
  if (id === 'choropleth') return input.cells.length ? createChoroplethLayer(input.cells) : null
  if (id === 'bins') return input.bins ? createBinsLayer(input.bins) : null
  if (!input.points || input.points.length === 0) return null
  if (id === 'heatmap') return createHeatmapLayer(input.points, input.weighted, input.filter)
  return createPointsLayer(input.points, input.filter)
}

/** What a pick under the pointer says: a bin's count or a cell's rate. */
export type AnalystPick = { kind: 'bin'; count: number } | { kind: 'cell'; cell: RatedCellProperties }

export function analystPickOf(info: PickingInfo | null | undefined): AnalystPick | null {
  if (!info?.layer || !info.object) return null
  if (info.layer.id === 'bins') return { kind: 'bin', count: (info.object as HexBin).count }
  if (info.layer.id === 'choropleth') return { kind: 'cell', cell: (info.object as RatedCell).properties }
  return null
}
