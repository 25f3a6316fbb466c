import { describe, expect, it } from 'vitest'
import { advance, BASE_SPEED_MS_PER_S, startOf, STOPPED, timeScale, WINDOW_MS, windowAt } from './playback.ts'

const SPAN = { from: Date.parse('2026-01-01T00:00:00Z'), to: Date.parse('2026-03-01T00:00:00Z') }

describe('playback', () => {
  it('starts at the first full window and restarts once it has reached the end', () => {
    expect(startOf(STOPPED, SPAN)).toBe(SPAN.from + WINDOW_MS.week)
    expect(startOf({ ...STOPPED, playhead: SPAN.to }, SPAN)).toBe(SPAN.from + WINDOW_MS.week)
    expect(startOf({ ...STOPPED, playhead: SPAN.from + 3e9 }, SPAN)).toBe(SPAN.from + 3e9)
  })

  it('moves the playhead by speed × elapsed time and stops at the end', () => {
    const playing = { ...STOPPED, playing: true, playhead: SPAN.from + WINDOW_MS.week, speed: 2 }
    expect(advance(playing, 500, SPAN).playhead).toBe(playing.playhead + BASE_SPEED_MS_PER_S)
    const end = advance(playing, 10_000_000, SPAN)
    expect(end).toMatchObject({ playhead: SPAN.to, playing: false })
    expect(advance({ ...playing, playing: false }, 500, SPAN)).toEqual({ ...playing, playing: false })
  })

  it('gives the window ending at the playhead, clipped to the span', () => {
    expect(windowAt(SPAN.from + WINDOW_MS.day, 'week', SPAN)).toEqual({ from: SPAN.from, to: SPAN.from + WINDOW_MS.day })
    expect(windowAt(SPAN.to, 'day', SPAN)).toEqual({ from: SPAN.to - WINDOW_MS.day, to: SPAN.to })
  })

  it('maps time to pixels and back, clamping outside the scale', () => {
    const scale = timeScale(SPAN, 600)
    expect(scale.x(SPAN.from)).toBe(0)
    expect(scale.x(SPAN.to)).toBe(600)
    expect(scale.t(300)).toBe((SPAN.from + SPAN.to) / 2)
    expect(scale.t(-50)).toBe(SPAN.from)
  })
})
