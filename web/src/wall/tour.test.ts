import { describe, expect, it } from 'vitest'
import { advanceTour, pauseTour, startTour, tourStops } from './tour.ts'

const INTERVAL = 10_000

describe('tour schedule', () => {
  it('moves to the next stop each interval and wraps back to the district', () => {
    let s = startTour(0, INTERVAL)
    const seen = [s.index]
    for (let t = 1000; t <= 40_000; t += 1000) {
      const next = advanceTour(s, t, 3, INTERVAL)
      if (next.index !== s.index) seen.push(next.index)
      s = next
    }
    expect(seen).toEqual([0, 1, 2, 0, 1])
  })

  it('returns the same state when nothing is due', () => {
    const s = startTour(0, INTERVAL)
    expect(advanceTour(s, 9_999, 3, INTERVAL)).toBe(s)
    expect(advanceTour(s, 50_000, 1, INTERVAL)).toBe(s)
  })

  it('moves one stop after a long stall, not as many as were missed', () => {
    const s = advanceTour(startTour(0, INTERVAL), 1_000_000, 5, INTERVAL)
    expect(s.index).toBe(1)
    expect(s.nextAt).toBe(1_000_000 + INTERVAL)
  })

  it('pauses on interaction and resumes after idle with a full interval on the same stop', () => {
    let s = advanceTour(startTour(0, INTERVAL), 10_000, 3, INTERVAL)
    expect(s.index).toBe(1)
    s = pauseTour(s, 12_000, 30_000)
    expect(advanceTour(s, 35_000, 3, INTERVAL)).toBe(s)
    s = pauseTour(s, 35_000, 30_000) // another interaction extends the pause
    expect(advanceTour(s, 50_000, 3, INTERVAL).pausedUntil).toBe(65_000)
    s = advanceTour(s, 65_000, 3, INTERVAL)
    expect(s).toMatchObject({ index: 1, pausedUntil: null, nextAt: 75_000, resumes: 1 })
    expect(advanceTour(s, 75_000, 3, INTERVAL).index).toBe(2)
  })

  it('lists the district first, then all towns in code order or the chosen ones that exist', () => {
    const towns = ['440904126', '440904004', '440904003']
    expect(tourStops('440904', towns, 'all')).toEqual(['440904', '440904003', '440904004', '440904126'])
    expect(tourStops('440904', towns, ['440904126', '999999999', '440904003', '440904126'])).toEqual(['440904', '440904126', '440904003'])
    expect(tourStops('440904', towns, [])).toEqual(['440904'])
  })
})
