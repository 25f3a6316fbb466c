/**
 * The field-work layers of the map screen and their state: the silent-grids layer (on by
 * default, N = 7 days) and the day's patrol playback (off until asked for; the tracks are
 * personal data, fetched only for roles that may see them), of the grid in view or of one grid
 * worker picked among that day's workers of the village in view (a district has thousands). The playback clock runs at 15 frames
 * a second while playing: one hour of the day every 2.4 seconds.
 */
import { useQuery } from '@tanstack/react-query'
import { useEffect, useMemo, useState } from 'react'
import { queryKeys } from '../api/query-keys.ts'
import { fetchCoverage, fetchDayTracks, fetchSilentShapes, fetchWorkersOfDay } from './field-work-api.ts'
import { createPatrolLayers } from './patrol-trips-layer.ts'
import { COUNTY_LEVEL, levelOfCode } from '../grid/codes.ts'
import { createSilentGridsLayer } from './silent-grids-layer.ts'

export const SILENT_DAYS = 7
const FRAME_MS = 66
const DAY_SECONDS_PER_MS = 1.5
const PLAYBACK_START = 7 * 3600
/** Grid codes of villages and below: 12 digits or more (district 6, town 9). */
const PICKER_MIN_CODE = 12

/** Yesterday in China Standard Time, YYYY-MM-DD. */
export function yesterdayInChina(now = new Date()): string {
  return new Date(now.getTime() + 8 * 3_600_000 - 86_400_000).toISOString().slice(0, 10)
}

/** `outlineSilent`: the map is coloured by score, which the silent grids' fill would hide: outlines only. */
export function useFieldWork(grid: string | undefined, mayReadTracks: boolean, outlineSilent = false) {
  const [showSilent, setShowSilent] = useState(true)
  const [showPlayback, setShowPlayback] = useState(false)
  const [date, setDate] = useState(yesterdayInChina)
  const [time, setTime] = useState(PLAYBACK_START)
  const [playing, setPlaying] = useState(false)
  const [pickedPerson, setPerson] = useState<number | null>(null)
  const pickable = Boolean(grid && grid.length >= PICKER_MIN_CODE) && showPlayback && mayReadTracks

  const silentListed = silentListedFor(grid)
  const silent = useQuery({
    queryKey: queryKeys.fieldWork.silent(grid, SILENT_DAYS),
    queryFn: ({ signal }) => fetchSilentShapes(grid!, SILENT_DAYS, signal),
    enabled: silentListed && showSilent,
    staleTime: 60_000,
  })
  const workers = useQuery({
    queryKey: queryKeys.fieldWork.workers(grid, date),
    queryFn: ({ signal }) => fetchWorkersOfDay(grid!, date, signal),
    enabled: pickable,
    staleTime: 60_000,
  })
  // Who walked that day first, then by cell; a worker picked elsewhere (another village) is dropped.
  const workerList = useMemo(
    () => [...(workers.data ?? [])].sort((a, b) => Number(b.patrols > 0) - Number(a.patrols > 0) || a.cell.localeCompare(b.cell) || a.person - b.person),
    [workers.data],
  )
  const person = pickable && (workers.isFetching || workerList.some((w) => w.person === pickedPerson)) ? pickedPerson : null
  const tracks = useQuery({
    queryKey: queryKeys.fieldWork.tracks(grid, date, person),
    queryFn: ({ signal }) => fetchDayTracks(grid!, date, person, signal),
    enabled: Boolean(grid) && showPlayback && mayReadTracks,
    staleTime: 60_000,
  })
  const coverage = useQuery({
    queryKey: queryKeys.fieldWork.coverage(grid),
    queryFn: ({ signal }) => fetchCoverage(grid!, signal),
    enabled: Boolean(grid),
    staleTime: 60_000,
  })

  useEffect(() => {
    if (!playing) return
    let last = performance.now()
    const timer = setInterval(() => {
      const now = performance.now()
      const step = (now - last) * DAY_SECONDS_PER_MS * 60
      last = now
      setTime((t) => (t + step >= 86_400 ? PLAYBACK_START : t + step))
    }, FRAME_MS)
    return () => clearInterval(timer)
  }, [playing])

  const trackList = useMemo(() => tracks.data?.tracks ?? [], [tracks.data])
  const layers = [
    showSilent && silentListed && createSilentGridsLayer(silent.data, SILENT_DAYS, outlineSilent),
    ...(showPlayback && mayReadTracks ? createPatrolLayers(trackList, time) : []),
  ]
  return {
    layers,
    panel: {
      mayReadTracks,
      showSilent,
      setShowSilent,
      silentListed,
      outlineSilent,
      silent: silent.data,
      silentLoading: silent.isFetching,
      showPlayback,
      setShowPlayback,
      date,
      setDate,
      time,
      setTime,
      playing,
      setPlaying,
      tracks: trackList,
      tracksLoading: tracks.isFetching,
      pickable,
      workers: workerList,
      person,
      setPerson,
      coverage: coverage.data,
    },
  }
}

export type FieldWorkPanelState = ReturnType<typeof useFieldWork>['panel']

/**
 * Silent grids are shown from the county down (the API lists them no higher): a city's or the
 * province's would be hundreds of thousands of household groups, more than a map can draw.
 */
export function silentListedFor(grid: string | undefined): grid is string {
  return grid !== undefined && levelOfCode(grid) >= COUNTY_LEVEL
}

/** The silent household groups under `grid` for the wall (refreshed every five minutes). */
export function useSilentShapes(grid: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: queryKeys.fieldWork.silent(grid, SILENT_DAYS),
    queryFn: ({ signal }) => fetchSilentShapes(grid!, SILENT_DAYS, signal),
    enabled: silentListedFor(grid) && enabled,
    staleTime: 60_000,
    refetchInterval: 5 * 60_000,
  }).data
}
