/**
 * The wall map's deck.gl layers, each from plain data with module-level accessors: the dispute
 * heat (server-binned [lon, lat, count]), the live points (category colour, severity size, fading
 * with age), the alert pulses (rings from a pure frame function), the town names and the focused
 * town's outline, and the land: the towns' fills and outlines from the API's geometry, slotted
 * into MapLibre's stack where its tile layers of the towns would be, so no tile still loading
 * can leave a hole in the land while the tour flies. Sizes are given in CSS pixels scaled with the wall's type (`unit`, one rem).
 */
import { HeatmapLayer } from '@deck.gl/aggregation-layers'
import { GeoJsonLayer, ScatterplotLayer, TextLayer } from '@deck.gl/layers'
import type { GridFeature, GridFeatureCollection } from '../../api/client.ts'
import type { PlacedLabel } from '../../map/layers/context-labels-layer.ts'
import { tileLineLayerId } from '../../map/grid-tiles.ts'
import { CELL_LABEL, SELECTED_LINE, TILE_DIM_RGBA, TILE_LINES, TOWN_LINE_RGBA, type Rgba } from '../../map/palette.ts'
import type { ActiveAlert } from '../alerts.ts'
import type { LivePoint } from '../live-state.ts'
import { LABEL_TEXT_STYLE } from '../../map/layers/label-text.ts'

type HeatPoint = [number, number, number]
const heatPosition = (d: HeatPoint): [number, number] => [d[0], d[1]]
const heatWeight = (d: HeatPoint) => d[2]
/** Dark amber to hot white: reads as "heat" on the navy wall without fighting the category colours. */
const HEAT_COLORS: [number, number, number][] = [
  [90, 40, 10],
  [170, 70, 15],
  [232, 89, 12],
  [250, 140, 30],
  [255, 200, 90],
  [255, 246, 210],
]

/**
 * The kernel covers at least a bin and a bit at the current zoom, so the server's 0.005° bins
 * merge into one surface when a town fills the map, rather than showing as a lattice of dots.
 */
export function heatRadiusPixels(unit: number, zoom: number, cellDegrees: number): number {
  const binPixels = (cellDegrees * 512 * 2 ** zoom) / 360
  return Math.round(Math.max(1.5 * unit, 1.2 * binPixels))
}

export function createDisputeHeatLayer(points: readonly HeatPoint[], radiusPixels: number) {
  return new HeatmapLayer<HeatPoint>({
    id: 'wall-dispute-heat',
    data: points as HeatPoint[],
    getPosition: heatPosition,
    getWeight: heatWeight,
    radiusPixels,
    intensity: 1,
    threshold: 0.12,
    colorRange: HEAT_COLORS,
    opacity: 0.75,
    pickable: false,
  })
}

export interface PointMarker extends LivePoint {
  color: Rgba
}

const SEVERITY_RADIUS = [0, 0.28, 0.36, 0.46, 0.6] as const
const pointPosition = (p: PointMarker) => p.position
const pointColor = (p: PointMarker) => p.color
const pointRadius = (p: PointMarker) => SEVERITY_RADIUS[p.severity as 1 | 2 | 3 | 4] ?? SEVERITY_RADIUS[2]

export function createLivePointsLayer(markers: readonly PointMarker[], unit: number) {
  return new ScatterplotLayer<PointMarker>({
    id: 'wall-live-points',
    data: markers as PointMarker[],
    getPosition: pointPosition,
    getFillColor: pointColor,
    getRadius: pointRadius,
    radiusScale: unit,
    radiusUnits: 'pixels',
    stroked: true,
    getLineColor: [6, 16, 28, 220],
    lineWidthUnits: 'pixels',
    getLineWidth: Math.max(1, unit / 12),
    pickable: false,
  })
}

export interface PulseRing {
  position: [number, number]
  radius: number
  color: Rgba
}

export const PULSE_PERIOD_MS = 1600
/**
 * How long a new alert's rings pulse (as long as its card glows, wall.css): then one steady ring
 * stays until the alert is acknowledged or expires. A pulse that never stops redraws the map 15
 * times a second for as long as an alert stands, most of a CPU core on a software renderer.
 */
export const PULSE_FOR_MS = 30_000
const PULSE_COLOR: [number, number, number] = [255, 82, 82]

/** Whether any alert is still in its pulsing time at `wallClock` (Date.now()). */
export function alertsPulsing(alerts: readonly ActiveAlert[], wallClock: number): boolean {
  return alerts.some((alert) => wallClock - alert.raisedAt < PULSE_FOR_MS)
}

/**
 * Two rings per alert in its pulsing time, half a period apart, expanding and fading (`frameClock`:
 * the pulse clock); one steady ring after it (`wallClock`: Date.now(), as raisedAt). Pure.
 */
export function alertPulseRings(alerts: readonly ActiveAlert[], frameClock: number, wallClock: number, unit: number): PulseRing[] {
  return alerts.flatMap((alert) => {
    if (wallClock - alert.raisedAt >= PULSE_FOR_MS) return [{ position: alert.position, radius: unit * 2, color: [...PULSE_COLOR, 200] as Rgba }]
    return [0, 0.5].map((phase) => {
      const progress = (frameClock / PULSE_PERIOD_MS + phase) % 1
      return { position: alert.position, radius: unit * (0.6 + 3.2 * progress), color: [...PULSE_COLOR, Math.round(255 * (1 - progress))] as Rgba }
    })
  })
}

const ringPosition = (r: PulseRing) => r.position
const ringRadius = (r: PulseRing) => r.radius
const ringColor = (r: PulseRing) => r.color
const alertPosition = (a: ActiveAlert) => a.position

export function createAlertLayers(alerts: readonly ActiveAlert[], rings: readonly PulseRing[], unit: number) {
  return [
    new ScatterplotLayer<PulseRing>({
      id: 'wall-alert-rings',
      data: rings as PulseRing[],
      getPosition: ringPosition,
      getRadius: ringRadius,
      getLineColor: ringColor,
      getLineWidth: Math.max(2, unit / 5),
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      filled: false,
      stroked: true,
      pickable: false,
    }),
    new ScatterplotLayer<ActiveAlert>({
      id: 'wall-alert-points',
      data: alerts as ActiveAlert[],
      getPosition: alertPosition,
      getFillColor: [255, 82, 82, 255],
      getLineColor: [255, 255, 255, 255],
      getRadius: unit * 0.55,
      getLineWidth: Math.max(1.5, unit / 8),
      radiusUnits: 'pixels',
      lineWidthUnits: 'pixels',
      stroked: true,
      pickable: false,
    }),
  ]
}

const labelText = (l: PlacedLabel) => l.text
const labelPosition = (l: PlacedLabel) => l.position
const ON_POINT: [number, number] = [0, 0]
const labelOffset = (l: PlacedLabel) => l.offset ?? ON_POINT

export function createTownLabelsLayer(labels: readonly PlacedLabel[], characterSet: string, unit: number) {
  return new TextLayer<PlacedLabel>({
    ...LABEL_TEXT_STYLE,
    id: 'wall-town-labels',
    data: labels as PlacedLabel[],
    getText: labelText,
    getPosition: labelPosition,
    getPixelOffset: labelOffset,
    getColor: CELL_LABEL,
    getSize: Math.round(unit * 0.95),
    characterSet,
  })
}

export function createFocusOutlineLayer(town: GridFeature | undefined, unit: number) {
  return new GeoJsonLayer({
    id: 'wall-focus-outline',
    data: town ? [town] : [],
    filled: true,
    getFillColor: [186, 246, 255, 28],
    stroked: true,
    getLineColor: SELECTED_LINE,
    getLineWidth: Math.max(2, unit / 6),
    lineWidthUnits: 'pixels',
    lineJointRounded: true,
    pickable: false,
  })
}

export const WALL_LAND_LAYER_ID = 'wall-land'
export const WALL_TOWN_LINES_LAYER_ID = 'wall-town-lines'

/**
 * The district's land (its towns filled) under every grid line, and the towns' outlines where
 * the tiles' town lines would be (below the heat and the points). Drawn from the towns' geometry
 * the wall holds from its first frame, not from vector tiles: at 3840×2160 the tiles of a new
 * stop take seconds to arrive, and MapLibre stands in for a missing tile only with a parent it
 * still shows, which after a flight it seldom has, so the sea showed through in rectangles.
 */
export function createTownLandLayers(towns: GridFeatureCollection | undefined) {
  const data = towns?.features ?? []
  return [
    new GeoJsonLayer({
      id: WALL_LAND_LAYER_ID,
      data,
      filled: true,
      stroked: false,
      getFillColor: TILE_DIM_RGBA,
      pickable: false,
      // Above the sea and below every tile line (the finest level's lines are the first drawn).
      beforeId: tileLineLayerId(5),
    }),
    new GeoJsonLayer({
      id: WALL_TOWN_LINES_LAYER_ID,
      data,
      filled: false,
      stroked: true,
      getLineColor: TOWN_LINE_RGBA,
      getLineWidth: TILE_LINES[2].width,
      lineWidthUnits: 'pixels',
      lineJointRounded: true,
      pickable: false,
      beforeId: tileLineLayerId(2),
    }),
  ]
}
