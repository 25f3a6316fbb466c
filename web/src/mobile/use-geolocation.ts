/**
 * The phone's position for a report: asked once when the form opens (high accuracy, 15 s), with
 * its accuracy; `refused` when the worker or the browser says no, so the form falls back to the
 * cell's centre.
 */
import { useEffect, useState } from 'react'

export type GeoState =
  | { state: 'locating' }
  | { state: 'located'; lon: number; lat: number; accuracy: number }
  | { state: 'refused' }
  | { state: 'unavailable' }

export function useCurrentPosition(): GeoState {
  const [geo, setGeo] = useState<GeoState>(() => ('geolocation' in navigator ? { state: 'locating' } : { state: 'unavailable' }))
  useEffect(() => {
    if (!('geolocation' in navigator)) return
    let live = true
    navigator.geolocation.getCurrentPosition(
      (p) => live && setGeo({ state: 'located', lon: p.coords.longitude, lat: p.coords.latitude, accuracy: p.coords.accuracy }),
      (error) => live && setGeo({ state: error.code === error.PERMISSION_DENIED ? 'refused' : 'unavailable' }),
      { enableHighAccuracy: true, timeout: 15_000, maximumAge: 30_000 },
    )
    return () => {
      live = false
    }
  }, [])
  return geo
}
