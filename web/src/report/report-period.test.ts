import { describe, expect, it } from 'vitest'
import { defaultPeriod, recentMonths } from './report-api.ts'

describe('report periods', () => {
  it('default to the month before in China time, wherever the browser is', () => {
    // 16:30 UTC on 30 November is 00:30 on 1 December in China: the month before is November.
    expect(defaultPeriod(new Date('2026-11-30T16:30:00Z'))).toBe('2026-11')
    expect(defaultPeriod(new Date('2026-11-30T15:59:00Z'))).toBe('2026-10')
    expect(defaultPeriod(new Date('2026-01-15T00:00:00Z'))).toBe('2025-12')
  })

  it('list months newest first across a year boundary', () => {
    expect(recentMonths('2026-02', 4)).toEqual(['2026-02', '2026-01', '2025-12', '2025-11'])
    expect(recentMonths('2026-11')).toHaveLength(24)
  })
})
