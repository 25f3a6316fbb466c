/**
 * react-query hooks for incidents. The open cases of the selected subtree are fetched once (one
 * page of the newest 500, as the map can show them) and then kept current by the live feed:
 * each SSE event is applied to the cached list in place (applyLiveEvent) rather than refetching
 * hundreds of points every few seconds while the simulator or the field reports. New reports
 * also start a short pulse on the map. An open incident drawer refetches its case when an event
 * for it arrives, so its timeline and buttons follow the workflow too.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { fetchCategories, fetchIncident, fetchIncidents, postTransition, type IncidentAction } from '../api/client.ts'
import { subscribeToIncidents, type LiveEvent } from '../api/live-feed.ts'
import { applyLiveEvent, OPEN_STATUSES, toIncidentPoint, type IncidentPoint } from './open-incidents.ts'
import { queryKeys } from '../api/query-keys.ts'

/** The newest open cases a subtree shows; the API's own page cap. */
export const OPEN_INCIDENT_LIMIT = 500
/** How long a new report pulses on the map. */
export const PULSE_MS = 2000
/** The panel's roll-ups (part of the cell) are refetched at most this often while events arrive. */
const ROLLUP_REFRESH_MS = 10_000

export interface Pulse {
  id: number
  position: [number, number]
  category: string
  /** performance.now() when the report arrived. */
  at: number
}

export function useCategories() {
  // Categories come from a data file and change only on a server restart.
  return useQuery({ queryKey: queryKeys.categories, queryFn: fetchCategories, staleTime: 5 * 60_000 })
}

export function useIncident(id: number | null) {
  return useQuery({ queryKey: queryKeys.incidents.one(id ?? 0), queryFn: () => fetchIncident(id!), enabled: id !== null })
}

/** POSTs a workflow action, then refetches the case (its timeline and allowed actions). */
export function useTransition(id: number) {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ action, note }: { action: IncidentAction; note?: string }) => postTransition(id, action, note),
    onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.incidents.one(id) }),
  })
}

/** The open cases of `grid`'s subtree, newest first, live; and the pulses of new reports. */
export function useLiveOpenIncidents(grid: string | undefined) {
  const queryClient = useQueryClient()
  const query = useQuery({
    queryKey: queryKeys.incidents.open(grid ?? ''),
    queryFn: async ({ signal }): Promise<readonly IncidentPoint[]> => {
      const page = await fetchIncidents({ grid: grid!, status: OPEN_STATUSES, limit: OPEN_INCIDENT_LIMIT }, signal)
      return page.items.map(toIncidentPoint)
    },
    enabled: grid !== undefined,
    // The live feed keeps it current while shown; a subtree opened again later is refetched.
    staleTime: 0,
    gcTime: 60_000,
  })
  const [pulses, setPulses] = useState<Pulse[]>([])
  const pruneTimer = useRef<ReturnType<typeof setTimeout>>(undefined)
  const rollupTimer = useRef<ReturnType<typeof setTimeout>>(undefined)

  useEffect(() => {
    if (!grid) return
    setPulses([])
    const subscription = subscribeToIncidents(
      grid,
      (event: LiveEvent) => {
        queryClient.setQueryData<readonly IncidentPoint[]>(queryKeys.incidents.open(grid), (list) => (list ? applyLiveEvent(list, event) : list))
        void queryClient.invalidateQueries({ queryKey: queryKeys.incidents.one(event.incidentId) })
        // The cell's figures (open, overdue…) come with the whole cell: refresh them, but batched,
        // since the simulator alone moves a case every few seconds.
        rollupTimer.current ??= setTimeout(() => {
          rollupTimer.current = undefined
          void queryClient.invalidateQueries({ queryKey: queryKeys.grids.cell(grid), exact: true })
        }, ROLLUP_REFRESH_MS)
        if (event.action !== 'report') return
        const now = performance.now()
        const { lon, lat } = event.incident.location
        setPulses((current) => [
          ...current.filter((pulse) => now - pulse.at < PULSE_MS),
          { id: event.incidentId, position: [lon, lat], category: event.incident.category, at: now },
        ])
        // Drop finished pulses even when no further report arrives.
        clearTimeout(pruneTimer.current)
        pruneTimer.current = setTimeout(() => setPulses((current) => current.filter((pulse) => performance.now() - pulse.at < PULSE_MS)), PULSE_MS + 50)
      },
      () => {
        // Back after a gap, or away too long for a replay: the list and the cell's figures are fetched afresh.
        void queryClient.invalidateQueries({ queryKey: queryKeys.incidents.open(grid) })
        void queryClient.invalidateQueries({ queryKey: queryKeys.grids.cell(grid), exact: true })
      },
    )
    return () => {
      subscription.close()
      clearTimeout(pruneTimer.current)
      clearTimeout(rollupTimer.current)
      rollupTimer.current = undefined
    }
  }, [grid, queryClient])

  return { incidents: query.data, isError: query.isError, pulses }
}
