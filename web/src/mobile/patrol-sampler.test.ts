import { describe, expect, it } from 'vitest'
import { BATCH_MAX_WAIT_MS, RECORD_EVERY_MS, shouldFlush, shouldRecord } from './patrol-sampler.ts'

const fix = (at: number) => ({ lon: 111, lat: 21.5, accuracy: 10, at })

describe('patrol sampling', () => {
  it('records the first fresh fix at once, then every 15 to 30 seconds', () => {
    expect(RECORD_EVERY_MS).toBeGreaterThanOrEqual(15_000)
    expect(RECORD_EVERY_MS).toBeLessThanOrEqual(30_000)
    expect(shouldRecord(null, fix(0), 0)).toBe(true)
    expect(shouldRecord(0, fix(5_000), 5_000)).toBe(false)
    expect(shouldRecord(0, fix(20_000), 20_000)).toBe(true)
  })

  it('records nothing without a fix or with a stale one', () => {
    expect(shouldRecord(null, null, 0)).toBe(false)
    expect(shouldRecord(null, fix(0), 5 * 60_000)).toBe(false)
  })

  it('sends a batch once two points wait or a minute has passed', () => {
    expect(shouldFlush(1, 0, 10_000)).toBe(false)
    expect(shouldFlush(2, 0, 10_000)).toBe(true)
    expect(shouldFlush(1, 0, BATCH_MAX_WAIT_MS)).toBe(true)
    expect(shouldFlush(0, 0, BATCH_MAX_WAIT_MS * 2)).toBe(false)
  })
})
