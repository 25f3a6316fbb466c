/**
 * The wall's map: the offline basemap, the district's land and town outlines from the towns'
 * geometry (never a hole while tiles load), the villages' outlines from the vector tiles when a
 * town is in focus, the district outline and town names (and
 * at a town stop the names of its villages, for orientation), the
 * dispute heat, the live points and a pulse on each standing alert, on the shared BaseMap. A pure function of its props and the pulse clock;
 * nothing on it is clickable (nobody touches the wall; touching it only pauses the tour).
 */
import type { Layer } from '@deck.gl/core'
import { useEffect, useMemo, useState, type ReactNode } from 'react'
import type { GridFeature, GridFeatureCollection } from '../api/client.ts'
import { categoryColor, type CategoryIndex } from '../incidents/categories.ts'
import { BaseMap, type CameraTarget, type Padding } from '../map/base-map.tsx'
import { characterSetOf } from '../map/geometry.ts'
import { placeLabels } from '../map/label-placement.ts'
import { createDistrictOutlineLayer } from '../map/layers/district-outline-layer.ts'
import { createPlaceLabelsLayer, type SizedLabel } from '../map/layers/place-labels-layer.ts'
import { useGridChildrenGeometry } from '../api/queries.ts'
import { mapLabelOf } from '../grid/labels.ts'
import { createSilentGridsLayer } from '../field-work/silent-grids-layer.ts'
import { SILENT_DAYS, useSilentShapes } from '../field-work/use-field-work.ts'
import type { ActiveAlert } from './alerts.ts'
import type { LivePoint } from './live-state.ts'
import { POINT_MAX_AGE_MS } from './live-state.ts'
import { usePulseClock } from './use-pulse-clock.ts'
import type { WallLayer } from './wall-params.ts'
import {
  alertPulseRings,
  alertsPulsing,
  createAlertLayers,
  createDisputeHeatLayer,
  heatRadiusPixels,
  createFocusOutlineLayer,
  createLivePointsLayer,
  createTownLabelsLayer,
  createTownLandLayers,
  type PointMarker,
} from './layers/wall-layers.ts'
import type { Map as MapLibreMap } from 'maplibre-gl'

export interface WallMapProps {
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
  /** The names of places drawn (for the debug handle). */
  onPlaceNames?: (names: readonly string[]) => void
  /** Shown until the map can be created. */
  placeholder: ReactNode
  /** Layers drawn on top (an active notice's target area). */
  extraLayers?: readonly (Layer | null)[]
}

export function WallMap(props: WallMapProps) {
  const {
    camera,
    padding,
    unit,
    district,
    towns,
    focusTown,
    heat,
    heatCellDegrees,
    points,
    alerts,
    categories,
    layers,
    label,
    attribution,
    onMap,
    onPlaceNames,
    placeholder,
    extraLayers = [],
  } = props
  const silent = useSilentShapes(focusTown?.properties.code ?? district?.properties.code, layers.has('silent'))
  const silentLayer = useMemo(() => createSilentGridsLayer(silent, SILENT_DAYS), [silent])
  const [zoom, setZoom] = useState<number | null>(null)

  const candidates = useMemo(
    () => (towns?.features ?? []).map((f) => ({ text: f.properties.name, position: f.properties.labelPoint, priority: f.properties.households })),
    [towns],
  )
  const characterSet = useMemo(() => characterSetOf(candidates.map((c) => c.text)), [candidates])
  const labels = useMemo(
    () => (zoom === null ? [] : placeLabels(candidates, zoom, Math.round(unit * 0.95)).map(({ label, offset }) => ({ ...label, offset }))),
    [candidates, zoom, unit],
  )
  // At a town stop its villages are named too, where they fit around the towns' names.
  const focusCode = layers.has('grid') ? focusTown?.properties.code : undefined
  const villages = useGridChildrenGeometry(focusCode)
  const villageCandidates = useMemo(
    () =>
      focusCode && villages.data?.features[0]?.properties.parentCode === focusCode
        ? villages.data.features.map((f) => ({ text: mapLabelOf(f.properties.name, 3), position: f.properties.labelPoint, priority: f.properties.households }))
        : [],
    [villages.data, focusCode],
  )
  const villageCharacters = useMemo(() => characterSetOf(villageCandidates.map((c) => c.text)), [villageCandidates])
  const villageLabels = useMemo<SizedLabel[]>(() => {
    if (zoom === null || villageCandidates.length === 0) return []
    const size = Math.round(unit * 0.7)
    // The towns' names go first and keep their room (measured a little wider: they are larger).
    const towns = labels.map((l) => ({ text: `${l.text}  `, position: l.position, priority: Number.POSITIVE_INFINITY }))
    return placeLabels([...towns, ...villageCandidates], zoom, size)
      .filter(({ label }) => label.priority !== Number.POSITIVE_INFINITY)
      .map(({ label, offset }) => ({ text: label.text, position: label.position, offset, size }))
  }, [villageCandidates, labels, zoom, unit])
  useEffect(() => onPlaceNames?.([...labels, ...villageLabels].map((l) => l.text)), [labels, villageLabels, onPlaceNames])
  const markers = useMemo<PointMarker[]>(() => {
    const now = Date.now()
    return points.map((p) => {
      const [r, g, b] = categoryColor(categories, p.category)
      // Newer cases stand out; a case from two hours ago is a faint dot about to go.
      const fade = Math.min(1, Math.max(0, (now - p.at) / POINT_MAX_AGE_MS))
      return { ...p, color: [r, g, b, Math.round(255 - 150 * fade)] }
    })
  }, [points, categories])
  // The clock ticks only while a new alert pulses; each tick renders again and asks anew.
  const wallClock = Date.now()
  const frameClock = usePulseClock(alertsPulsing(alerts, wallClock))
  const rings = alertPulseRings(alerts, frameClock, wallClock, unit)

  // Layers whose data changes rarely are kept as instances: while an alert pulses the map
  // re-renders 15 times a second, and a fresh [feature] array would re-tessellate the outlines.
  const focusOutline = useMemo(() => createFocusOutlineLayer(focusTown, unit), [focusTown, unit])
  const districtOutline = useMemo(() => createDistrictOutlineLayer(district), [district])
  const land = useMemo(() => createTownLandLayers(towns), [towns])
  const townLabels = useMemo(() => (labels.length > 0 ? createTownLabelsLayer(labels, characterSet, unit) : null), [labels, characterSet, unit])
  const deckLayers = [
    // The land and the towns' lines (slotted under the tiles' lines; the land also without the grid layer).
    land[0],
    layers.has('grid') && land[1],
    layers.has('silent') && silentLayer,
    layers.has('heat') && heat.length > 0 && createDisputeHeatLayer(heat, heatRadiusPixels(unit, zoom ?? 10, heatCellDegrees)),
    layers.has('grid') && focusOutline,
    layers.has('grid') && districtOutline,
    layers.has('points') && createLivePointsLayer(markers, unit),
    ...createAlertLayers(alerts, rings, unit),
    layers.has('grid') && villageLabels.length > 0 && createPlaceLabelsLayer('wall-village-labels', villageLabels, villageCharacters),
    layers.has('grid') && townLabels,
    ...extraLayers,
  ]

  // The land and the town lines are deck.gl's (createTownLandLayers): the tiles add only the
  // village lines, when a town is in focus and the grid layer is on.
  const lines = layers.has('grid') && focusTown ? [3] : []
  return (
    <BaseMap
      className="wall-map"
      placeholder={placeholder}
      camera={camera}
      padding={padding}
      styleLevel={1}
      tileLevels={{ fill: NO_LEVELS, line: lines }}
      layers={deckLayers}
      interactions={{ getCursor: defaultCursor }}
      onZoom={setZoom}
      onReady={
        onMap &&
        (({ map }) => {
          onMap(map)
          return () => onMap(null)
        })
      }
      label={label}
      attribution={attribution}
    />
  )
}

const defaultCursor = () => 'default'
const NO_LEVELS: readonly number[] = []
