/**
 * Used by base-map.tsx only. Creates the MapLibre map once for a container and keeps its camera and attribution in step
 * with props: the map opens fitted to the first target, then flies to each new one. Also
 * reports the zoom labels should be placed for: the one the camera is flying to while it flies,
 * then the one it settled at (the user may zoom on); and when its style has loaded. maplibre-gl 6 loads its worker from a URL,
 * which Vite provides as an asset.
 */
import { AttributionControl, Map as MapLibreMap, setWorkerUrl, type StyleSpecification } from 'maplibre-gl'
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url'
import 'maplibre-gl/dist/maplibre-gl.css'
import { useEffect, useRef, useState, type RefObject } from 'react'
import type { Bbox } from './geometry.ts'

setWorkerUrl(workerUrl)

export interface Padding {
  top: number
  right: number
  bottom: number
  left: number
}

/** Long enough to follow where the map goes, short enough not to hold up a drill-down. */
const FLY_DURATION_MS = 900
export const MAX_ZOOM = 17

/** Where the camera should look: `key` names the target (a cell code), so the same target given
 * with slightly different numbers (its bbox from the API, or from its outline) does not move it. */
export interface CameraTarget {
  key: string
  bounds: Bbox
}

export function useMapLibre(
  container: RefObject<HTMLDivElement | null>,
  createStyle: () => StyleSpecification,
  camera: CameraTarget | undefined,
  padding: Padding,
  attribution: string,
): { map: MapLibreMap | null; zoom: number | null; styleLoaded: boolean } {
  const [map, setMap] = useState<MapLibreMap | null>(null)
  const [styleLoaded, setStyleLoaded] = useState(false)
  const [zoom, setZoom] = useState<number | null>(null)
  const bounds = camera?.bounds
  const cameraKey = camera ? [camera.key, padding.top, padding.right, padding.bottom, padding.left].join(',') : ''
  const fittedKey = useRef('')
  const latest = useRef({ createStyle, bounds, padding })
  latest.current = { createStyle, bounds, padding }

  // biome-ignore lint/correctness/useExhaustiveDependencies: created once per container; the camera is moved by the effect below.
  useEffect(() => {
    if (!container.current) return
    const { createStyle, bounds, padding } = latest.current
    fittedKey.current = cameraKey
    const instance = new MapLibreMap({
      container: container.current,
      style: createStyle(),
      ...(bounds ? { bounds, fitBoundsOptions: { padding, maxZoom: MAX_ZOOM } } : {}),
      attributionControl: false,
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      maxPitch: 0,
      minZoom: 6,
      maxZoom: MAX_ZOOM,
      renderWorldCopies: false,
    })
    instance.touchZoomRotate.disableRotation()
    instance.keyboard.disableRotation()
    const onMoveEnd = () => setZoom(instance.getZoom())
    instance.on('moveend', onMoveEnd)
    // MapLibre parses even an inline style one frame after the map is created: listening now cannot miss it.
    const onStyleLoad = () => setStyleLoaded(true)
    instance.once('style.load', onStyleLoad)
    setZoom(instance.getZoom())
    setMap(instance)
    return () => {
      setMap(null)
      setStyleLoaded(false)
      instance.off('moveend', onMoveEnd)
      instance.off('style.load', onStyleLoad)
      instance.remove()
    }
    // Created once per container; later bounds and attribution changes are applied below.
  }, [container])

  // biome-ignore lint/correctness/useExhaustiveDependencies: keyed by cameraKey (target and padding), not by the arrays' identity.
  useEffect(() => {
    // Keyed by target and padding, not by the array; no target (the next cell still loading)
    // leaves the camera where it is.
    if (!map || !bounds || fittedKey.current === cameraKey) return
    fittedKey.current = cameraKey
    const target = map.cameraForBounds(bounds, { padding, maxZoom: MAX_ZOOM })
    map.fitBounds(bounds, { padding, maxZoom: MAX_ZOOM, duration: FLY_DURATION_MS })
    // After fitBounds: it stops a flight still under way, whose moveend reports the zoom it got to.
    if (target?.zoom !== undefined) setZoom(target.zoom)
  }, [map, cameraKey])

  useEffect(() => {
    if (!map) return
    const control = new AttributionControl({ compact: false, customAttribution: attribution })
    map.addControl(control, 'bottom-right')
    return () => {
      // Unmounting, the map's own effect has removed the map, and its controls with it, first.
      if (map.hasControl(control)) map.removeControl(control)
    }
  }, [map, attribution])

  return { map, zoom, styleLoaded }
}
