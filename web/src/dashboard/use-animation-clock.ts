/**
 * performance.now(), updated every animation frame while `running`, for layers that animate
 * (the report pulses). Stops requesting frames as soon as nothing animates, so an idle map
 * re-renders only when its data changes.
 */
import { useEffect, useState } from 'react'

export function useAnimationClock(running: boolean): number {
  const [now, setNow] = useState(() => performance.now())
  useEffect(() => {
    if (!running) return
    let frame = requestAnimationFrame(function tick(time) {
      setNow(time)
      frame = requestAnimationFrame(tick)
    })
    return () => cancelAnimationFrame(frame)
  }, [running])
  return running ? now : performance.now()
}
