/**
 * The wall's map: the offline basemap with the grid from the vector tiles (town outlines over the
 * district; the villages too when a town is in focus), the district outline and town names, the
 * dispute heat, the live points and a pulse on each standing alert, through the shared MapLibre
 * hook and deck.gl overlay of the drill-down map. A pure function of its props and the pulse clock;
 * nothing on it is clickable (nobody touches the wall; touching it only pauses the tour).
 */
import { useEffect, useMemo, useRef } from 'react'
import type { GridFeature, GridFeatureCollection } from '../api/client.ts'
import { categoryColor, type CategoryIndex } from '../incidents/categories.ts'
import { createBaseStyle } from '../map/base-style.ts'
import { DeckOverlay } from '../map/deck-overlay.tsx'
import { characterSetOf } from '../map/geometry.ts'
import { TILE_LAYERS, tileFillLayerId, tileLineLayerId } from '../map/grid-tiles.ts'
import { placeLabels } from '../map/label-placement.ts'
import { createDistrictOutlineLayer } from '../map/layers/district-outline-layer.ts'
import { createSilentGridsLayer } from '../field-work/silent-grids-layer.ts'
import { SILENT_DAYS, useSilentShapes } from '../field-work/use-field-work.ts'
import { useMapLibre, type CameraTarget, type Padding } from '../map/use-maplibre.ts'
import type { ActiveAlert } from './alerts.ts'
import type { LivePoint } from './live-state.ts'
import { POINT_MAX_AGE_MS } from './live-state.ts'
import { usePulseClock } from './use-pulse-clock.ts'
import type { WallLayer } from './wall-params.ts'
import { alertPulseRings, createAlertLayers, createDisputeHeatLayer, heatRadiusPixels, createFocusOutlineLayer, createLivePointsLayer, createTownLabelsLayer, type PointMarker } from './wall-layers.ts'
import type { Map as MapLibreMap } from 'maplibre-gl'

export interface WallMapProps {
  tilesUrl: string
  camera: CameraTarget | undefined
  padding: Padding
  /** One rem in CSS pixels: every size on the map scales with the wall's type. */
  unit: number
  district: GridFeature | undefined
  towns: GridFeatureCollection | undefined
  /** The town in focus, or undefined for the district. */
  focusTown: GridFeature | undefined
  heat: readonly [number, number, number][]
  /** Side of a heat bin in degrees (the summary says). */
  heatCellDegrees: number
  points: readonly LivePoint[]
  alerts: readonly ActiveAlert[]
  categories: CategoryIndex | undefined
  layers: ReadonlySet<WallLayer>
  label: string
  attribution: string
  onMap?: (map: MapLibreMap | null) => void
}

export function WallMap(props: WallMapProps) {
  const { tilesUrl, camera, padding, unit, district, towns, focusTown, heat, heatCellDegrees, points, alerts, categories, layers, label, attribution, onMap } = props
  const container = useRef<HTMLDivElement>(null)
  const { map, zoom } = useMapLibre(container, () => createBaseStyle(tilesUrl, 1), camera, padding, attribution)
  useEffect(() => {
    onMap?.(map)
  }, [map, onMap])
  useGridVisibility(map, layers.has('grid'), focusTown !== undefined)
  const silent = useSilentShapes(focusTown?.properties.code ?? district?.properties.code, layers.has('silent'))
  const silentLayer = useMemo(() => createSilentGridsLayer(silent, SILENT_DAYS), [silent])

  const candidates = useMemo(
    () => (towns?.features ?? []).map((f) => ({ text: f.properties.name, position: f.properties.labelPoint, priority: f.properties.households })),
    [towns],
  )
  const characterSet = useMemo(() => characterSetOf(candidates.map((c) => c.text)), [candidates])
  const labels = useMemo(
    () => (zoom === null ? [] : placeLabels(candidates, zoom, Math.round(unit * 0.95)).map(({ label, offset }) => ({ ...label, offset }))),
    [candidates, zoom, unit],
  )
  const markers = useMemo<PointMarker[]>(() => {
    const now = Date.now()
    return points.map((p) => {
      const [r, g, b] = categoryColor(categories, p.category)
      // Newer cases stand out; a case from two hours ago is a faint dot about to go.
      const fade = Math.min(1, Math.max(0, (now - p.at) / POINT_MAX_AGE_MS))
      return { ...p, color: [r, g, b, Math.round(255 - 150 * fade)] }
    })
  }, [points, categories])
  const now = usePulseClock(alerts.length > 0)
  const rings = alertPulseRings(alerts, now, unit)

  // Layers whose data changes rarely are kept as instances: while an alert pulses the map
  // re-renders 15 times a second, and a fresh [feature] array would re-tessellate the outlines.
  const focusOutline = useMemo(() => createFocusOutlineLayer(focusTown, unit), [focusTown, unit])
  const districtOutline = useMemo(() => createDistrictOutlineLayer(district), [district])
  const townLabels = useMemo(() => (labels.length > 0 ? createTownLabelsLayer(labels, characterSet, unit) : null), [labels, characterSet, unit])
  const deckLayers = [
    layers.has('silent') && silentLayer,
    layers.has('heat') && heat.length > 0 && createDisputeHeatLayer(heat, heatRadiusPixels(unit, zoom ?? 10, heatCellDegrees)),
    layers.has('grid') && focusOutline,
    layers.has('grid') && districtOutline,
    layers.has('points') && createLivePointsLayer(markers, unit),
    ...createAlertLayers(alerts, rings, unit),
    layers.has('grid') && townLabels,
  ]

  return (
    <div className="wall-map" role="region" aria-label={label}>
      <div ref={container} className="wall-map__canvas" />
      <DeckOverlay map={map} layers={deckLayers} onHover={ignore} onAfterRender={ignore} getCursor={defaultCursor} />
    </div>
  )
}

// The overlay hands every prop to deck.gl, where an undefined handler replaces its default.
const ignore = () => {}
const defaultCursor = () => 'default'

/** Town lines (and fills, the land) always; village lines when a town is in focus; none with the grid layer off. */
function useGridVisibility(map: MapLibreMap | null, grid: boolean, town: boolean) {
  useEffect(() => {
    if (!map) return
    const apply = () => {
      for (const { level } of TILE_LAYERS) {
        const lines = grid && (level === 2 || (town && level === 3))
        map.setLayoutProperty(tileLineLayerId(level), 'visibility', lines ? 'visible' : 'none')
        map.setLayoutProperty(tileFillLayerId(level), 'visibility', level === 2 ? 'visible' : 'none')
      }
    }
    if (map.style?._loaded) apply()
    else map.once('style.load', apply)
    return () => {
      map.off('style.load', apply)
    }
  }, [map, grid, town])
}
