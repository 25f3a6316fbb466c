/**
 * A day's patrols played back: each track as a faint line, and deck.gl's TripsLayer drawing the
 * last half hour of every walk up to the playback time (seconds since the day's midnight, China
 * Standard Time, as GET /api/patrols gives them).
 */
import { TripsLayer } from '@deck.gl/geo-layers'
import { PathLayer } from '@deck.gl/layers'
import type { Track } from './field-work-api.ts'

export const PATROL_PATHS_LAYER_ID = 'patrol-paths'
export const PATROL_TRIPS_LAYER_ID = 'patrol-trips'
const TRAIL_SECONDS = 30 * 60

const getPath = (t: Track) => t.path as [number, number][]
const getTimestamps = (t: Track) => t.timestamps

export function createPatrolLayers(tracks: readonly Track[], currentTime: number) {
  return [
    new PathLayer<Track>({
      id: PATROL_PATHS_LAYER_ID,
      data: tracks,
      getPath,
      getColor: [110, 231, 249, 70],
      getWidth: 1.5,
      widthUnits: 'pixels',
      pickable: false,
    }),
    new TripsLayer<Track>({
      id: PATROL_TRIPS_LAYER_ID,
      data: tracks,
      getPath,
      getTimestamps,
      getColor: [110, 231, 249, 255],
      getWidth: 4,
      widthUnits: 'pixels',
      capRounded: true,
      jointRounded: true,
      fadeTrail: true,
      trailLength: TRAIL_SECONDS,
      currentTime,
      pickable: false,
    }),
  ]
}

/** HH:MM of a playback time. */
export function formatPlaybackTime(seconds: number): string {
  const s = Math.max(0, Math.min(86_399, Math.floor(seconds)))
  return `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}`
}
