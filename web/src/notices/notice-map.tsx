/**
 * The notice's map on the command centre's page: the offline base map with the target's cells
 * coloured by state, the outline, clue points and the place last seen; while composing, the
 * circle of a radius target and clicks that pick a point. Exposes `window.__gridscopeNotice`
 * (read-only: the map and the states drawn) for end-to-end tests.
 */
import type { Layer } from '@deck.gl/core'
import type { Map as MapLibreMap } from 'maplibre-gl'
import { useEffect, useMemo, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { useMeta } from '../api/queries.ts'
import { createBaseStyle } from '../map/base-style.ts'
import { DeckOverlay } from '../map/deck-overlay.tsx'
import type { Bbox } from '../map/geometry.ts'
import { useMapLibre, type CameraTarget } from '../map/use-maplibre.ts'
import type { CellState } from './notices-api.ts'

const PADDING = { top: 40, right: 40, bottom: 40, left: 40 }

export interface NoticeMapProps {
  camera: CameraTarget | undefined
  layers: (Layer | false | null | undefined)[]
  /** The states drawn, for the debug handle. */
  states?: Record<string, CellState>
  onPick?: (point: { lon: number; lat: number }) => void
}

declare global {
  interface Window {
    __gridscopeNotice?: { map(): MapLibreMap | null; states(): Record<string, CellState> }
  }
}

export function NoticeMap(props: NoticeMapProps) {
  const meta = useMeta()
  if (!meta.data || !props.camera) return <div className="notice-map" />
  return <NoticeMapView {...props} tilesUrl={new URL(meta.data.tiles.grids, window.location.origin).href} camera={props.camera} />
}

function NoticeMapView({ tilesUrl, camera, layers, states, onPick }: NoticeMapProps & { tilesUrl: string; camera: CameraTarget }) {
  const { t } = useTranslation()
  const container = useRef<HTMLDivElement>(null)
  const { map } = useMapLibre(container, () => createBaseStyle(tilesUrl, 2), camera, PADDING, t('map.attribution'))
  const latest = useRef({ onPick, states })
  latest.current = { onPick, states }
  useEffect(() => {
    if (!map) return
    const onClick = (e: { lngLat: { lng: number; lat: number } }) => latest.current.onPick?.({ lon: e.lngLat.lng, lat: e.lngLat.lat })
    map.on('click', onClick)
    const handle = Object.freeze({ map: () => map, states: () => ({ ...(latest.current.states ?? {}) }) })
    Object.defineProperty(window, '__gridscopeNotice', { value: handle, configurable: true, enumerable: false, writable: false })
    return () => {
      map.off('click', onClick)
      if (window.__gridscopeNotice === handle) delete window.__gridscopeNotice
    }
  }, [map])
  const deckLayers = useMemo(() => layers.filter(Boolean) as Layer[], [layers])
  return (
    <div className={`notice-map${onPick ? ' is-picking' : ''}`}>
      <div ref={container} className="notice-map__canvas" role="region" aria-label={t('map.label')} />
      <DeckOverlay map={map} layers={deckLayers} />
    </div>
  )
}

/** Bounds of a GeoJSON geometry (any nesting of positions). */
export function bboxOfAny(geometry: unknown): Bbox | undefined {
  let box: Bbox | undefined
  const walk = (value: unknown): void => {
    if (!Array.isArray(value)) return
    if (typeof value[0] === 'number' && typeof value[1] === 'number') {
      const [x, y] = value as [number, number]
      box = box ? [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x), Math.max(box[3], y)] : [x, y, x, y]
      return
    }
    for (const item of value) walk(item)
  }
  walk((geometry as { coordinates?: unknown } | null)?.coordinates)
  return box
}
