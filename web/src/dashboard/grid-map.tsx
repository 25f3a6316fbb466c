/**
 * The situation map, on the shared BaseMap: the offline basemap and the grid around the
 * selected cell (vector tiles), deck.gl for the cells being
 * compared, their labels and outlines, and the open incidents of the subtree with a pulse
 * around each new report. A pure function of its props (and of the clock while a pulse runs):
 * data arrives already fetched and classified, hover state lives with the caller, the tooltip
 * text is given, and a click only reports which cell or incident was hit.
 */
import type { Layer, PickingInfo } from '@deck.gl/core'
import type { Map as MapLibreMap } from 'maplibre-gl'
import { useEffect, useMemo, useRef, useState } from 'react'
import type { ContextRegionCollection, GridFeature } from '../api/client.ts'
import { mapLabelOf } from '../grid/labels.ts'
import { categoryColor, type CategoryIndex } from '../incidents/categories.ts'
import type { IncidentPoint } from '../incidents/open-incidents.ts'
import type { Pulse } from '../incidents/use-incidents.ts'
import { BaseMap, type BaseMapHandles, type CameraTarget, type Padding } from '../map/base-map.tsx'
import type { TooltipContent } from '../map/cell-tooltip.ts'
import type { ChoroplethMetric, ClassedCellFeature } from '../map/choropleth.ts'
import { exposeDebugHandle, type ChildrenDrawn } from './debug-handle.ts'
import { bboxOfGeometry, characterSetOf, expandBbox, visibleLabelPoint, type Bbox } from '../map/geometry.ts'
import { GRID_SOURCE_ID, sourceLayerOf, visibleTileLevels } from '../map/grid-tiles.ts'
import { placeLabels } from '../map/label-placement.ts'
import { createCellHighlightLayer } from './layers/cell-highlight-layer.ts'
import { CHILD_CELLS_LAYER_ID, cellOfPick, createChildCellsLayer } from './layers/child-cells-layer.ts'
import { CHILD_LABEL_SIZE, createChildLabelsLayer } from './layers/child-labels-layer.ts'
import { createContextLabelsLayer, type PlacedLabel } from '../map/layers/context-labels-layer.ts'
import { createContextRegionsLayer } from '../map/layers/context-regions-layer.ts'
import { createDistrictOutlineLayer } from '../map/layers/district-outline-layer.ts'
import { createIncidentPulseLayer, pulseFrames } from './layers/incident-pulse-layer.ts'
import { createIncidentsLayer, incidentOfPick, INCIDENTS_LAYER_ID, type IncidentMarker } from './layers/incidents-layer.ts'
import { createSelectedOutlineLayer } from './layers/selected-outline-layer.ts'
import { MapTooltip, type TooltipPlacement } from '../map/map-tooltip.tsx'
import { labelBoxesOf } from '../map/tooltip-placement.ts'
import { tileCellAt, type MapCell } from './tile-picking.ts'
import { useAnimationClock } from './use-animation-clock.ts'

export interface MapHover {
  cell: MapCell
  /** Drawn by deck.gl (a compared cell) or by MapLibre from the tiles (the grid around it). */
  from: 'cells' | 'tiles'
  placement: TooltipPlacement
}

export interface IncidentHover {
  incident: IncidentPoint
  placement: TooltipPlacement
}

export interface GridMapProps {
  /** The camera opens fitted to this target and flies to each new one; undefined: stay. */
  camera: CameraTarget | undefined
  /** Room left around `bounds` for the panels floating over the map. */
  padding: Padding
  district: GridFeature | undefined
  selected: GridFeature | undefined
  selectedLevel: number
  /** The cells being compared (the selected cell's children, classed for the choropleth). */
  cells: ClassedCellFeature[]
  /** Code of the cell whose children `cells` are. */
  cellsOf: string | null
  metric: ChoroplethMetric
  /** A compared cell to highlight (pointer over it on the map or in the ranking list). */
  emphasis: string | null
  /** A compared cell whose label is never dropped (the selected cell among its siblings). */
  labelFirst: string | null
  context: ContextRegionCollection | undefined
  hover: MapHover | null
  tooltip: TooltipContent | null
  onHover: (hover: MapHover | null) => void
  /** A tap (touch) on a cell shows its tooltip first and a second tap on it opens it (the map coloured by score). */
  tapPreviews?: boolean
  onSelect: (cell: MapCell) => void
  /** Open cases of the selected subtree, and the categories that colour them. */
  incidents: readonly IncidentPoint[]
  categories: CategoryIndex | undefined
  /** New reports still pulsing. */
  pulses: readonly Pulse[]
  /** The case open in the drawer, marked on the map. */
  selectedIncident: number | null
  incidentHover: IncidentHover | null
  incidentTooltip: TooltipContent | null
  onHoverIncident: (hover: IncidentHover | null) => void
  onSelectIncident: (id: number) => void
  label: string
  attribution: string
  /** Layers other capabilities add (silent grids, patrol playback), between the outlines and the cases. */
  extraLayers?: readonly (Layer | false)[]
}

/** Pixels a click may be from the last hover and still mean the cell hovered (MapLibre's own click tolerance is 3). */
const CLICK_TOLERANCE = 3

export function GridMap(props: GridMapProps) {
  const { camera, padding, district, selected, selectedLevel, cells, cellsOf, metric, emphasis, labelFirst } = props
  const { context, hover, tooltip, onHover, onSelect, label, attribution } = props
  const { incidents, categories, pulses, selectedIncident, incidentHover, incidentTooltip, onHoverIncident, onSelectIncident } = props
  const [map, setMap] = useState<MapLibreMap | null>(null)
  const [zoom, setZoom] = useState<number | null>(null)
  const drawn = useRef<ChildrenDrawn | null>(null)

  // Neighbouring districts are labelled around the district, wherever the camera is.
  const districtBounds = useMemo(() => (district ? bboxOfGeometry(district.geometry) : undefined), [district])
  const contextLabels = useMemo(() => placeContextLabels(context, districtBounds), [context, districtBounds])
  // A region may come with no polygons (outside the source data's extent); deck.gl warns on those.
  const contextRegions = useMemo(() => context?.features.filter((f) => f.geometry.coordinates.length > 0) ?? [], [context])
  const candidates = useMemo(
    () =>
      cells.map((cell) => ({
        text: mapLabelOf(cell.properties.name, cell.properties.level),
        position: cell.properties.labelPoint,
        // Where names crowd, the places with more people keep theirs (the district seat over a
        // farm); the selected cell always does. Households, whatever the map is coloured by, so
        // switching the figure does not reshuffle the labels.
        priority: cell.properties.code === labelFirst ? Infinity : cell.properties.households,
      })),
    [cells, labelFirst],
  )
  const childLabels = useMemo(
    () => (zoom === null ? [] : placeLabels(candidates, zoom, CHILD_LABEL_SIZE).map(({ label, offset }) => ({ ...label, offset }))),
    [candidates, zoom],
  )
  // Every name that may be shown, so zooming (which changes which labels fit) keeps the atlas.
  const characterSet = useMemo(() => characterSetOf([...candidates.map((c) => c.text), ...contextLabels.map((l) => l.text)]), [candidates, contextLabels])
  const markers = useMemo<IncidentMarker[]>(
    () => incidents.map((incident) => ({ ...incident, color: categoryColor(categories, incident.category) })),
    [incidents, categories],
  )
  const drawnLabels = useRef(childLabels)
  drawnLabels.current = childLabels
  const drawnIncidents = useRef<readonly IncidentMarker[]>(markers)
  drawnIncidents.current = markers
  const now = useAnimationClock(pulses.length > 0)
  const rings = pulseFrames(pulses, now, (category) => categoryColor(categories, category))

  const emphasised = useMemo(() => cells.find((cell) => cell.properties.code === emphasis) ?? null, [cells, emphasis])

  const layers = [
    createContextRegionsLayer(contextRegions),
    createChildCellsLayer(cells, metric),
    createCellHighlightLayer(emphasised),
    createSelectedOutlineLayer(selected, labelFirst !== null),
    createDistrictOutlineLayer(district),
    ...(props.extraLayers ?? []),
    // A TextLayer with no characters builds a 0-pixel-high font atlas, which WebGL rejects.
    contextLabels.length > 0 && createContextLabelsLayer(contextLabels, characterSet),
    // Cases under the names (which stay readable over a busy district), above the cells.
    createIncidentsLayer(markers, selectedIncident, selectedLevel <= 2),
    createIncidentPulseLayer(rings),
    childLabels.length > 0 && createChildLabelsLayer(childLabels, characterSet),
  ]

  /** The cell whose tooltip a tap showed (the next tap on it opens it). */
  const previewed = useRef<string | null>(null)
  // While a tap's tooltip shows, a second tap on the cell opens it: MapLibre would otherwise read
  // two taps within half a second as a double-tap zoom, whose move drops the preview.
  const setPreviewed = (code: string | null) => {
    previewed.current = code
    if (!map) return
    if (code) map.doubleClickZoom.disable()
    else map.doubleClickZoom.enable()
  }
  const cellAt = (map: MapLibreMap, x: number, y: number, picked: PickingInfo | null): Omit<MapHover, 'placement'> | null => {
    const cell = cellOfPick(picked)
    if (cell) return { cell: cell.properties, from: 'cells' }
    const tile = x >= 0 && y >= 0 ? tileCellAt(map, [x, y], selectedLevel) : null
    return tile ? { cell: tile, from: 'tiles' } : null
  }
  const handleHover = (info: PickingInfo, { map }: BaseMapHandles) => {
    const placement = { x: info.x, y: info.y, width: info.viewport?.width ?? 0, height: info.viewport?.height ?? 0 }
    const incident = incidentOfPick(info)
    if (incident) {
      onHover(null)
      return onHoverIncident({ incident, placement })
    }
    if (incidentHover) onHoverIncident(null)
    const found = cellAt(map, info.x, info.y, info)
    // A finger lifted "leaves" the map: a tooltip a tap showed stays until the next tap or move.
    if (!found && previewed.current) return
    onHover(found && { ...found, placement })
  }
  const handleClick = ({ x, y, touch }: { x: number; y: number; touch: boolean }, { map, overlay }: BaseMapHandles) => {
    // A click lands where the pointer last hovered: that pick already says what is there. A
    // fresh pick reads the GPU's picking buffer synchronously, a stall of a whole frame.
    const near = (p: TooltipPlacement) => Math.abs(p.x - x) <= CLICK_TOLERANCE && Math.abs(p.y - y) <= CLICK_TOLERANCE
    if (incidentHover && near(incidentHover.placement)) return onSelectIncident(incidentHover.incident.id)
    // A finger has no hover (the browser's compatibility mouse events may fake one just before the
    // tap): with tapPreviews the first tap on a cell shows its tooltip, a second one opens it.
    const preview = touch && props.tapPreviews
    if (hover && !preview && near(hover.placement)) return onSelect(hover.cell)
    const picked = overlay.pickObject({ x, y, radius: 0, layerIds: [INCIDENTS_LAYER_ID, CHILD_CELLS_LAYER_ID] })
    const incident = incidentOfPick(picked)
    if (incident) return onSelectIncident(incident.id)
    const found = cellAt(map, x, y, picked)
    if (!found) return
    if (preview && previewed.current !== found.cell.code) {
      setPreviewed(found.cell.code)
      const canvas = map.getCanvas()
      return onHover({ ...found, placement: { x, y, width: canvas.clientWidth, height: canvas.clientHeight } })
    }
    setPreviewed(null)
    onSelect(found.cell)
  }
  // Once the camera moves, what was under the pointer no longer is (and a click must not
  // reuse that hover): drop it until the pointer moves again.
  const handleMoveStart = () => {
    setPreviewed(null)
    onHover(null)
    onHoverIncident(null)
  }
  const handleAfterRender = () => {
    if (cellsOf && cells.length > 0 && drawn.current?.parentCode !== cellsOf) drawn.current = { parentCode: cellsOf, at: performance.now() }
  }
  const getCursor = ({ isDragging }: { isDragging: boolean }) => (isDragging ? 'grabbing' : hover || incidentHover ? 'pointer' : 'grab')

  useTileHoverState(map, hover?.from === 'tiles' ? hover.cell : null)

  const latestLevel = useRef(selectedLevel)
  latestLevel.current = selectedLevel
  const onReady = ({ map, overlay }: BaseMapHandles) => {
    setMap(map)
    const removeHandle = exposeDebugHandle(map, overlay, {
      childrenDrawn: () => drawn.current,
      incidentIds: () => drawnIncidents.current.map((incident) => incident.id),
      labelBoxes: () => labelBoxesOf(drawnLabels.current, (p) => map.project(p), CHILD_LABEL_SIZE),
      tileCellAt: (x, y) => tileCellAt(map, [x, y], latestLevel.current),
    })
    return () => {
      removeHandle()
      setMap(null)
    }
  }
  const tileLevels = visibleTileLevels(selectedLevel)
  // The names on the map, which a tooltip must leave readable.
  const labelBoxes = map && (hover || incidentHover) ? labelBoxesOf(childLabels, (p) => map.project(p), CHILD_LABEL_SIZE) : []

  return (
    <BaseMap
      className="grid-map"
      camera={camera}
      padding={padding}
      styleLevel={selectedLevel}
      tileLevels={{ fill: tileLevels, line: tileLevels }}
      layers={layers}
      // MapLibre's click (a DOM click that did not drag), not deck.gl's: deck.gl recognises a tap
      // only if the button comes up within 250 ms, which a busy wall display can miss.
      interactions={{ onHover: handleHover, onClick: handleClick, onMoveStart: handleMoveStart, getCursor }}
      onAfterRender={handleAfterRender}
      onZoom={setZoom}
      onReady={onReady}
      label={label}
      attribution={attribution}
    >
      {incidentHover && incidentTooltip ? (
        <MapTooltip content={incidentTooltip} placement={incidentHover.placement} avoid={labelBoxes} />
      ) : (
        hover && tooltip && <MapTooltip content={tooltip} placement={hover.placement} avoid={labelBoxes} />
      )}
    </BaseMap>
  )
}

/** Marks the tile cell under the pointer (feature state, keyed by code through promoteId). */
function useTileHoverState(map: MapLibreMap | null, cell: MapCell | null) {
  const code = cell?.code
  const sourceLayer = cell ? sourceLayerOf(cell.level) : undefined
  useEffect(() => {
    if (!map || !code || !sourceLayer) return
    const target = { source: GRID_SOURCE_ID, sourceLayer, id: code }
    map.setFeatureState(target, { hover: true })
    return () => {
      // The map may be gone already when the component unmounts.
      if (map.getSource(GRID_SOURCE_ID)) map.removeFeatureState(target, 'hover')
    }
  }, [map, code, sourceLayer])
}

/** Context regions reach far beyond the district: label the part of each near the view. */
function placeContextLabels(context: ContextRegionCollection | undefined, bounds: Bbox | undefined): PlacedLabel[] {
  if (!context || !bounds) return []
  const near = expandBbox(bounds, 0.3)
  return context.features.flatMap((feature) => {
    const position = visibleLabelPoint(feature.geometry, near)
    return position ? [{ text: feature.properties.name, position }] : []
  })
}
