/**
 * The notice's map on the command centre's page: the offline base map with the target's cells
 * coloured by state, the outline, clue points and the place last seen; while composing, the
 * circle of a radius target and clicks that pick a point. Exposes `window.__gridscopeNotice`
 * (read-only: the map and the states drawn) for end-to-end tests.
 */
import type { Layer } from '@deck.gl/core'
import type { Map as MapLibreMap } from 'maplibre-gl'
import { useMemo, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { BaseMap } from '../map/base-map.tsx'
import type { Bbox } from '../map/geometry.ts'
import type { CameraTarget } from '../map/use-maplibre.ts'
import type { CellState } from './notices-api.ts'

const PADDING = { top: 40, right: 40, bottom: 40, left: 40 }
const TILE_LEVELS = { fill: [2], line: [2, 3] }

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

export function NoticeMap({ camera, layers, states, onPick }: NoticeMapProps) {
  const { t } = useTranslation()
  const latest = useRef({ onPick, states })
  latest.current = { onPick, states }
  const deckLayers = useMemo(() => layers.filter(Boolean) as Layer[], [layers])
  return (
    <BaseMap
      camera={camera}
      padding={PADDING}
      styleLevel={2}
      tileLevels={TILE_LEVELS}
      layers={deckLayers}
      className={`notice-map${onPick ? ' is-picking' : ''}`}
      label={t('map.label')}
      attribution={t('map.attribution')}
      interactions={{
        onClick: (point, { map }) => {
          const at = map.unproject([point.x, point.y])
          latest.current.onPick?.({ lon: at.lng, lat: at.lat })
        },
      }}
      onReady={({ map }) => {
        const handle = Object.freeze({ map: () => map, states: () => ({ ...(latest.current.states ?? {}) }) })
        Object.defineProperty(window, '__gridscopeNotice', { value: handle, configurable: true, enumerable: false, writable: false })
        return () => {
          if (window.__gridscopeNotice === handle) delete window.__gridscopeNotice
        }
      }}
    />
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
