/**
 * Runs the playback clock: while playing, the playhead advances every animation frame by the
 * real time elapsed (playback.ts `advance`), and stops by itself at the end of the span.
 */
import { useEffect, useRef, useState } from 'react'
import { advance, startOf, STOPPED, type Playback, type TimeSpan } from './playback.ts'

export function usePlayback(span: TimeSpan | null) {
  const [playback, setPlayback] = useState<Playback>(STOPPED)
  const spanRef = useRef(span)
  spanRef.current = span

  useEffect(() => {
    if (!playback.playing) return
    let last = performance.now()
    let frame = requestAnimationFrame(function tick(now) {
      const elapsed = now - last
      last = now
      if (spanRef.current) setPlayback((p) => advance(p, elapsed, spanRef.current!))
      frame = requestAnimationFrame(tick)
    })
    return () => cancelAnimationFrame(frame)
  }, [playback.playing])

  // A new selection (another span) starts over.
  const spanKey = span ? `${span.from}-${span.to}` : ''
  useEffect(() => setPlayback((p) => ({ ...STOPPED, speed: p.speed, windowLength: p.windowLength })), [spanKey])

  return {
    playback,
    play: () => span && setPlayback((p) => ({ ...p, playing: true, playhead: startOf(p, span) })),
    pause: () => setPlayback((p) => ({ ...p, playing: false })),
    stop: () => setPlayback((p) => ({ ...STOPPED, speed: p.speed, windowLength: p.windowLength })),
    setSpeed: (speed: number) => setPlayback((p) => ({ ...p, speed })),
    setWindowLength: (windowLength: Playback['windowLength']) => setPlayback((p) => ({ ...p, windowLength })),
  }
}
