/**
 * The worker's own cell on a small map: its outline filled, the neighbouring cells' outlines (its
 * siblings) for orientation, its open cases as dots in their category's colour, and, while a
 * report is written, a pin the worker drags to where the thing is. On the shared BaseMap without
 * grid tiles: a plain background and the API's own geometry, nothing more to load on a phone's
 * network, and nothing that fails when it drops. `window.__gridscopeField` (read-only: the map)
 * lets an end-to-end test wait for the map to settle and ask what it drew.
 */
import { GeoJsonLayer, ScatterplotLayer } from '@deck.gl/layers'
import { Marker, type Map as MapLibreMap } from 'maplibre-gl'
import { useEffect, useMemo, useRef, useState } from 'react'
import type { GridFeature, GridFeatureCollection } from '../api/client.ts'
import { categoryColor, type CategoryIndex } from '../incidents/categories.ts'
import type { IncidentPoint } from '../incidents/open-incidents.ts'
import { installDebugHandle } from '../debug/install-handle.ts'
import { BaseMap, type Padding } from '../map/base-map.tsx'
import { bboxOfGeometry } from '../map/geometry.ts'
import { INCIDENT_LINE, SELECTED_FILL, SELECTED_LINE, type Rgba } from '../map/palette.ts'

const NEIGHBOUR_LINE: Rgba = [190, 210, 235, 255]
const NEIGHBOUR_FILL: Rgba = [36, 58, 86, 255]
const PADDING: Padding = { top: 24, right: 24, bottom: 24, left: 24 }

declare global {
  interface Window {
    __gridscopeField?: { map(): MapLibreMap }
  }
}

export interface CellMapProps {
  cell: GridFeature | undefined
  neighbours: GridFeatureCollection | undefined
  incidents: readonly IncidentPoint[]
  categories: CategoryIndex | undefined
  /** A draggable pin (the report's location) and where it was dropped. */
  pin?: { lon: number; lat: number; label: string }
  onPinMove?: (position: { lon: number; lat: number }) => void
  label: string
  attribution: string
}

export function CellMap({ cell, neighbours, incidents, categories, pin, onPinMove, label, attribution }: CellMapProps) {
  const camera = useMemo(() => (cell ? { key: cell.properties.code, bounds: bboxOfGeometry(cell.geometry) } : undefined), [cell])
  const [map, setMap] = useState<MapLibreMap | null>(null)

  const layers = [
    new GeoJsonLayer({
      id: 'field-neighbours',
      data: neighbours?.features.filter((f) => f.properties.code !== cell?.properties.code) ?? [],
      filled: true,
      getFillColor: NEIGHBOUR_FILL,
      getLineColor: NEIGHBOUR_LINE,
      lineWidthUnits: 'pixels',
      getLineWidth: 1.5,
    }),
    new GeoJsonLayer({
      id: 'field-cell',
      data: cell ? [cell] : [],
      filled: true,
      getFillColor: SELECTED_FILL,
      getLineColor: SELECTED_LINE,
      lineWidthUnits: 'pixels',
      getLineWidth: 3,
    }),
    new ScatterplotLayer<IncidentPoint>({
      id: 'field-cases',
      data: incidents,
      getPosition: (d) => [d.location.lon, d.location.lat],
      getFillColor: (d) => categoryColor(categories, d.category),
      getLineColor: INCIDENT_LINE,
      stroked: true,
      radiusUnits: 'pixels',
      getRadius: 8,
      lineWidthUnits: 'pixels',
      getLineWidth: 2,
      updateTriggers: { getFillColor: [categories] },
    }),
  ]

  // The pin is a DOM marker: MapLibre drags it under the finger and says where it was let go.
  // It is made once per map; its position and label follow in the effect after.
  const marker = useRef<Marker | null>(null)
  const onMove = useRef(onPinMove)
  onMove.current = onPinMove
  const hasPin = pin !== undefined
  const pinLon = pin?.lon
  const pinLat = pin?.lat
  const pinLabel = pin?.label
  useEffect(() => {
    if (!map || !hasPin) return
    const element = document.createElement('div')
    element.className = 'field-pin'
    element.setAttribute('role', 'img')
    const instance = new Marker({ element, draggable: Boolean(onMove.current), anchor: 'bottom' })
    instance.on('dragend', () => {
      const { lng, lat } = instance.getLngLat()
      onMove.current?.({ lon: lng, lat })
    })
    marker.current = instance
    return () => {
      instance.remove()
      marker.current = null
    }
  }, [map, hasPin])
  useEffect(() => {
    const instance = marker.current
    if (!map || !instance || pinLon === undefined || pinLat === undefined) return
    instance.setLngLat([pinLon, pinLat])
    if (!instance.getElement().isConnected) instance.addTo(map)
    instance.getElement().setAttribute('aria-label', pinLabel ?? '')
  }, [map, pinLon, pinLat, pinLabel])

  return (
    <div className="field-map" data-cell={cell?.properties.code} data-cases={incidents.length}>
      <BaseMap
        camera={camera}
        padding={PADDING}
        layers={layers}
        className="field-cell-map"
        label={label}
        attribution={attribution}
        onReady={(handles) => {
          setMap(handles.map)
          const uninstall = installDebugHandle('__gridscopeField', { map: () => handles.map })
          return () => {
            uninstall()
            setMap(null)
          }
        }}
      />
    </div>
  )
}
