/**
 * Runs the tour (tour.ts) in the page: checks the schedule twice a second and pauses it on any
 * pointer, key or wheel interaction anywhere in the window; it resumes by itself after `idleMs`.
 * Disabled (no stops beyond the district, or tour=off): always the district.
 *
 * Each step is computed from the latest state (kept in a ref) and handed to React as a value. An
 * interaction pauses the stop on screen: a tick that moved on but has not been drawn yet (its
 * render still pending when the key comes) is taken back, so the viewer keeps what they looked at.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react'
import { advanceTour, pauseTour, startTour, type TourState } from './tour.ts'

const TICK_MS = 500
const INTERACTIONS = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'touchstart'] as const

export interface TourView {
  /** The stop shown now (0: the district). */
  index: number
  paused: boolean
  /** Date.now() when the tour resumes, when paused. */
  resumesAt: number | null
  /** Increases each time the tour resumes, so the camera re-focuses the current stop. */
  resumes: number
}

export function useTour(stopCount: number, intervalMs: number, idleMs: number, enabled: boolean): TourView {
  const [state, setState] = useState<TourState>(() => startTour(Date.now(), intervalMs))
  const tour = useRef(state)
  /** The stop index last committed to the screen. */
  const shown = useRef(state.index)
  useLayoutEffect(() => {
    shown.current = state.index
  }, [state.index])
  const active = enabled && stopCount > 1
  const latest = useRef({ stopCount, intervalMs, idleMs })
  latest.current = { stopCount, intervalMs, idleMs }

  useEffect(() => {
    if (!active) return
    const step = (next: TourState) => {
      tour.current = next
      setState(next)
    }
    step(startTour(Date.now(), latest.current.intervalMs))
    const timer = setInterval(() => step(advanceTour(tour.current, Date.now(), latest.current.stopCount, latest.current.intervalMs)), TICK_MS)
    const onInteraction = () => {
      const onScreen = tour.current.index === shown.current ? tour.current : { ...tour.current, index: shown.current }
      step(pauseTour(onScreen, Date.now(), latest.current.idleMs))
    }
    for (const type of INTERACTIONS) window.addEventListener(type, onInteraction, { passive: true })
    return () => {
      clearInterval(timer)
      for (const type of INTERACTIONS) window.removeEventListener(type, onInteraction)
    }
  }, [active])

  if (!active) return { index: 0, paused: false, resumesAt: null, resumes: 0 }
  return { index: state.index % stopCount, paused: state.pausedUntil !== null, resumesAt: state.pausedUntil, resumes: state.resumes }
}
