/**
 * The tour's schedule, pure: which stop is shown (0 is the district, then the towns in order) and
 * when the next one comes. Any interaction pauses it until `idleMs` after the last one; on resuming
 * the current stop gets a fresh full interval (and is focused again: `resumes` counts the resumes
 * so the camera knows to fly back to it after someone moved the map).
 */
export interface TourState {
  index: number
  nextAt: number
  pausedUntil: number | null
  resumes: number
}

export function startTour(now: number, intervalMs: number): TourState {
  return { index: 0, nextAt: now + intervalMs, pausedUntil: null, resumes: 0 }
}

/** The state at `now`; the same object when nothing changed (so React need not re-render). */
export function advanceTour(state: TourState, now: number, stopCount: number, intervalMs: number): TourState {
  if (state.pausedUntil !== null) {
    if (now < state.pausedUntil) return state
    return { ...state, pausedUntil: null, nextAt: now + intervalMs, resumes: state.resumes + 1 }
  }
  if (stopCount <= 1 || now < state.nextAt) return state
  // After a long stall (a sleeping machine), move one stop, not as many as were missed.
  return { ...state, index: (state.index + 1) % stopCount, nextAt: now + intervalMs }
}

export function pauseTour(state: TourState, now: number, idleMs: number): TourState {
  const pausedUntil = now + idleMs
  return state.pausedUntil === pausedUntil ? state : { ...state, pausedUntil }
}

/** The stops: the district first, then each town of `selection` ('all' or codes) that exists, in the order given. */
export function tourStops(districtCode: string, townCodes: readonly string[], selection: 'all' | readonly string[]): string[] {
  const known = new Set(townCodes)
  const towns = selection === 'all' ? [...townCodes].sort() : [...new Set(selection)].filter((code) => known.has(code))
  return [districtCode, ...towns]
}
