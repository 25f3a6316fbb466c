import { describe, expect, it } from 'vitest'
import { BACKOFF_CAP_MS, backoffDelay } from './backoff.ts'

describe('backoffDelay', () => {
  it('doubles from the base and never passes the cap', () => {
    const high = (attempt: number) => backoffDelay(attempt, () => 1)
    expect([0, 1, 2, 3, 4].map(high)).toEqual([1000, 2000, 4000, 8000, 16000])
    expect(high(5)).toBe(BACKOFF_CAP_MS)
    expect(high(50)).toBe(BACKOFF_CAP_MS)
    expect(high(Number.MAX_SAFE_INTEGER)).toBe(BACKOFF_CAP_MS)
  })

  it('keeps half of each delay fixed and jitters the other half', () => {
    expect(backoffDelay(3, () => 0)).toBe(4000)
    expect(backoffDelay(3, () => 0.5)).toBe(6000)
    expect(backoffDelay(10, () => 0)).toBe(BACKOFF_CAP_MS / 2)
  })

  it('treats a negative attempt as the first', () => {
    expect(backoffDelay(-3, () => 1)).toBe(1000)
  })
})
