/**
 * A clock for the alert pulse, ticking about 15 times a second while `running` and not at all
 * otherwise: smooth enough for a ring seen from across the room, at a quarter of the redraws of
 * an animation frame loop (the wall may run on a software renderer).
 */
import { useEffect, useState } from 'react'

const FRAME_MS = 66

export function usePulseClock(running: boolean): number {
  const [now, setNow] = useState(() => performance.now())
  useEffect(() => {
    if (!running) return
    const timer = setInterval(() => setNow(performance.now()), FRAME_MS)
    return () => clearInterval(timer)
  }, [running])
  return now
}
