/**
 * The one base map every screen draws on: it owns MapLibre (camera, offline basemap with the
 * grid's vector tiles, attribution), the deck.gl MapLibreOverlay (interleaved: deck.gl layers draw
 * into MapLibre's WebGL2 context and stack with its layers), which tile levels are shown, and the
 * mount gate: nothing is created until the tiles' address (GET /api/meta) and a first camera
 * target are known (created without one, the map would open over the Gulf of Guinea); from then
 * on the map stays for the screen's life while later targets load.
 *
 * A screen gives it a view (camera and padding), its deck.gl layers, the tile levels to show (or
 * none: a plain background, for a map drawn wholly from the API's geometry) and its interactions, and hears back through `onReady` (once the style has loaded, with the map and
 * the overlay; return a clean-up) and `onZoom`. Layers and handlers are pushed on every render.
 */
import type { DeckProps, Layer, LayersList, PickingInfo } from '@deck.gl/core'
import { MapLibreOverlay } from '@deck.gl/maplibre'
import type { Map as MapLibreMap, StyleSpecification } from 'maplibre-gl'
import { useEffect, useRef, useState, type ReactNode } from 'react'
import { useMeta } from '../api/queries.ts'
import { createBaseStyle, createPlainStyle } from './base-style.ts'
import { basemapLabelsId, hasBasemap, overBasemap, type BasemapInfo } from './basemap.ts'
import { TILE_LAYERS, tileFillLayerId, tileLineHaloLayerId, tileLineLayerId } from './grid-tiles.ts'
import { useMapLibre, type CameraTarget, type Padding } from './use-maplibre.ts'

export type { CameraTarget, Padding }

/** Grid tile levels (2 towns … 5 household groups) whose fills and outlines MapLibre draws. */
export interface TileLevels {
  fill: readonly number[]
  line: readonly number[]
}

/** What a screen gets once the map is up. */
export interface BaseMapHandles {
  map: MapLibreMap
  overlay: MapLibreOverlay
  /** Ids of the deck.gl layers the last drawn frame was given, bottom first. */
  drawnLayerIds(): string[]
}

export interface BaseMapInteractions {
  /** deck.gl's hover, with what it picked. */
  onHover?: (info: PickingInfo, handles: BaseMapHandles) => void
  /** MapLibre's click (a click that did not drag), at a point of the canvas in CSS pixels; `touch`: a finger's tap. */
  onClick?: (point: { x: number; y: number; touch: boolean }, handles: BaseMapHandles) => void
  /** The camera starts moving (what was under the pointer no longer is). */
  onMoveStart?: () => void
  getCursor?: DeckProps['getCursor']
}

export interface BaseMapProps {
  /** The camera opens fitted to the first target and flies to each new one; undefined: stay (or wait, before the first). */
  camera: CameraTarget | undefined
  /** Room left around the target for panels floating over the map. */
  padding: Padding
  /** Tile level the basemap's style is built for (read once, when the map is created; 2 by default). */
  styleLevel?: number
  /** The grid tile levels shown; without them the map has no tiles (a plain background) and waits for no tiles' address. */
  tileLevels?: TileLevels
  /** deck.gl layers, bottom first (false and null entries are skipped). */
  layers: LayersList
  interactions?: BaseMapInteractions
  /** After each frame that drew the deck.gl layers. */
  onAfterRender?: () => void
  /** The zoom labels should be placed for (the target's while flying, then where it settled). */
  onZoom?: (zoom: number | null) => void
  onReady?: (handles: BaseMapHandles) => (() => void) | undefined
  /** The region's accessible name. */
  label: string
  attribution: string
  /** Class of the map's region; its first class names the canvas inside (`grid-map` → `grid-map__canvas`). */
  className: string
  /** Shown until the map can be created; an empty element of `className` by default. */
  placeholder?: ReactNode
  /** Drawn over the map (tooltips). */
  children?: ReactNode
}

export function BaseMap(props: BaseMapProps) {
  return props.tileLevels ? <GridTilesGate {...props} /> : <PlainGate {...props} />
}

/**
 * The grid's tiles need their address (GET /api/meta) before the style can be made; the same
 * answer says which basemap the server has (drawn under the grid). The maps draw the geometry
 * tiles: they read only a cell's code, level, name, households and population, never incident
 * figures, and those tiles are the same for every viewer, so nginx and the browser keep them.
 */
function GridTilesGate(props: BaseMapProps) {
  const meta = useMeta()
  const tiles = meta.data?.tiles.geometry
  const basemap = meta.data?.basemap
  const styleLevel = props.styleLevel ?? 2
  const origin = window.location.origin
  const createStyle = tiles ? () => createBaseStyle(new URL(tiles, origin).href, styleLevel, basemap, origin) : undefined
  return <MountGate {...props} createStyle={createStyle} basemap={basemap} />
}

/** A map without grid tiles waits for the basemap (GET /api/meta), or opens without one if that cannot be read (the phone offline). */
function PlainGate(props: BaseMapProps) {
  const meta = useMeta()
  const basemap: BasemapInfo | undefined = meta.data?.basemap ?? (meta.isError ? { kind: 'none' } : undefined)
  const createStyle = basemap ? () => createPlainStyle(basemap, window.location.origin) : undefined
  return <MountGate {...props} createStyle={createStyle} basemap={basemap} />
}

/** Opens once the style can be made and a first target is known; stays open from then on. */
function MountGate(props: BaseMapProps & { createStyle: (() => StyleSpecification) | undefined; basemap: BasemapInfo | undefined }) {
  const open = useRef(false)
  if (props.createStyle && props.camera) open.current = true
  if (!open.current || !props.createStyle) return props.placeholder ?? <div className={props.className} />
  return <MountedMap {...props} createStyle={props.createStyle} />
}

function MountedMap(props: BaseMapProps & { createStyle: () => StyleSpecification; basemap: BasemapInfo | undefined }) {
  const { camera, padding, tileLevels, interactions, label, attribution, className, children } = props
  // Over a basemap the grid's fills let it show through, under its names (basemap.ts).
  const layers = overBasemap(props.layers, hasBasemap(props.basemap), basemapLabelsId(props.basemap))
  const container = useRef<HTMLDivElement>(null)
  const { map, zoom, styleLoaded } = useMapLibre(container, props.createStyle, camera, padding, attribution)
  const [overlay, setOverlay] = useState<MapLibreOverlay | null>(null)
  const drawn = useRef<string[]>([])
  const latest = useRef(props)
  latest.current = props
  const handles = useRef<BaseMapHandles | null>(null)
  handles.current = map && overlay ? { map, overlay, drawnLayerIds: () => [...drawn.current] } : null

  // deck.gl calls the handlers it is given without checking them: pass only those provided.
  const deckProps: Pick<DeckProps, 'layers' | 'onHover' | 'onAfterRender' | 'getCursor'> = {
    layers,
    onAfterRender: () => {
      drawn.current = layerIdsOf(latest.current.layers)
      latest.current.onAfterRender?.()
    },
  }
  if (interactions?.onHover) deckProps.onHover = (info) => handles.current && latest.current.interactions?.onHover?.(info, handles.current)
  if (interactions?.getCursor) deckProps.getCursor = interactions.getCursor
  const latestDeck = useRef(deckProps)
  latestDeck.current = deckProps

  useEffect(() => {
    if (!map) return
    const instance = new MapLibreOverlay({ interleaved: true, ...latestDeck.current })
    map.addControl(instance)
    setOverlay(instance)
    // The overlay places its layers into MapLibre's style only once the style and all its
    // sources have loaded; with the grid's vector tiles still loading when it is added, that
    // is later than its own styledata check. MapLibre's `load` marks that moment: push again.
    const onLoad = () => instance.setProps(latestDeck.current)
    map.on('load', onLoad)
    return () => {
      map.off('load', onLoad)
      setOverlay(null)
      map.removeControl(instance)
    }
  }, [map])
  useEffect(() => {
    overlay?.setProps(deckProps)
  })

  useEffect(() => {
    if (!map) return
    const onClick = (event: { point: { x: number; y: number }; originalEvent?: Event }) =>
      handles.current && latest.current.interactions?.onClick?.({ x: event.point.x, y: event.point.y, touch: isTouch(event.originalEvent) }, handles.current)
    const onMoveStart = () => latest.current.interactions?.onMoveStart?.()
    map.on('click', onClick)
    map.on('movestart', onMoveStart)
    return () => {
      map.off('click', onClick)
      map.off('movestart', onMoveStart)
    }
  }, [map])

  const fillKey = tileLevels?.fill.join(',')
  const lineKey = tileLevels?.line.join(',')
  useEffect(() => {
    if (!map || !styleLoaded || fillKey === undefined || lineKey === undefined) return
    const fill = new Set(fillKey.split(',').map(Number))
    const line = new Set(lineKey.split(',').map(Number))
    for (const { level } of TILE_LAYERS) {
      map.setLayoutProperty(tileFillLayerId(level), 'visibility', fill.has(level) ? 'visible' : 'none')
      map.setLayoutProperty(tileLineLayerId(level), 'visibility', line.has(level) ? 'visible' : 'none')
      if (map.getLayer(tileLineHaloLayerId(level))) map.setLayoutProperty(tileLineHaloLayerId(level), 'visibility', line.has(level) ? 'visible' : 'none')
    }
  }, [map, styleLoaded, fillKey, lineKey])

  useEffect(() => {
    latest.current.onZoom?.(zoom)
  }, [zoom])

  useEffect(() => {
    if (!map || !overlay || !styleLoaded || !handles.current) return
    return latest.current.onReady?.(handles.current) ?? undefined
  }, [map, overlay, styleLoaded])

  return (
    <div className={className} role="region" aria-label={label}>
      <div ref={container} className={`${className.split(' ')[0]}__canvas`} />
      {children}
    </div>
  )
}

function layerIdsOf(layers: LayersList): string[] {
  const ids: string[] = []
  const visit = (list: readonly unknown[]) => {
    for (const item of list) {
      if (Array.isArray(item)) visit(item)
      else if (item) ids.push((item as Layer).id)
    }
  }
  visit(layers)
  return ids
}

/** Whether a click came from a finger (a touch screen's tap) rather than a mouse or pen. */
function isTouch(event: Event | undefined): boolean {
  if (!event) return false
  if (event.type.startsWith('touch')) return true
  if ('pointerType' in event && (event as PointerEvent).pointerType === 'touch') return true
  return Boolean((event as MouseEvent & { sourceCapabilities?: { firesTouchEvents?: boolean } }).sourceCapabilities?.firesTouchEvents)
}
