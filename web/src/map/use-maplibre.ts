/**
 * Creates the MapLibre map once for a container and keeps its camera and attribution in step
 * with props. maplibre-gl 6 loads its worker from a URL, which Vite provides as an asset.
 */
import { AttributionControl, Map as MapLibreMap, setWorkerUrl } from 'maplibre-gl'
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url'
import 'maplibre-gl/dist/maplibre-gl.css'
import { useEffect, useRef, useState, type RefObject } from 'react'
import { BASE_STYLE } from './base-style.ts'
import type { Bbox } from './geometry.ts'

setWorkerUrl(workerUrl)

export interface Padding {
  top: number
  right: number
  bottom: number
  left: number
}

export function useMapLibre(
  container: RefObject<HTMLDivElement | null>,
  bounds: Bbox,
  padding: Padding,
  attribution: string,
): MapLibreMap | null {
  const [map, setMap] = useState<MapLibreMap | null>(null)
  const cameraKey = [...bounds, padding.top, padding.right, padding.bottom, padding.left].join(',')
  const fittedKey = useRef('')

  useEffect(() => {
    if (!container.current) return
    fittedKey.current = cameraKey
    const instance = new MapLibreMap({
      container: container.current,
      style: BASE_STYLE,
      bounds,
      fitBoundsOptions: { padding },
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      maxPitch: 0,
      minZoom: 6,
      maxZoom: 16,
      renderWorldCopies: false,
    })
    instance.touchZoomRotate.disableRotation()
    instance.keyboard.disableRotation()
    setMap(instance)
    return () => {
      setMap(null)
      instance.remove()
    }
    // Created once per container; later bounds and attribution changes are applied below.
  }, [container])

  useEffect(() => {
    // Keyed by value: a new array with the same numbers must not move the camera.
    if (!map || fittedKey.current === cameraKey) return
    fittedKey.current = cameraKey
    map.fitBounds(bounds, { padding, duration: 600 })
  }, [map, cameraKey])

  useEffect(() => {
    if (!map) return
    const control = new AttributionControl({ compact: false, customAttribution: attribution })
    map.addControl(control, 'bottom-right')
    return () => {
      map.removeControl(control)
    }
  }, [map, attribution])

  return map
}
