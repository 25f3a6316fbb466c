import { describe, expect, it } from 'vitest'
import { defaultPeriod, recentMonths } from './report-api.ts'
import { defaultWeek, periodKind, periodLabel, recentWeeks } from './periods.ts'

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

describe('weekly periods', () => {
  it('default to the last full ISO week in China time', () => {
    // Monday 23 November 2026, 00:30 in China (16:30 UTC on Sunday): the week before is W47.
    expect(defaultWeek(new Date('2026-11-22T16:30:00Z'))).toBe('2026-W47')
    // Still Sunday 22 November in China: the week before is W46.
    expect(defaultWeek(new Date('2026-11-22T15:59:00Z'))).toBe('2026-W46')
    // 1 January 2027 is a Friday of 2026-W53; the week before is W52.
    expect(defaultWeek(new Date('2027-01-01T04:00:00Z'))).toBe('2026-W52')
  })

  it('list weeks newest first across a year boundary (2026 has 53 ISO weeks)', () => {
    expect(recentWeeks('2027-W02', 4)).toEqual(['2027-W02', '2027-W01', '2026-W53', '2026-W52'])
    expect(recentWeeks('2026-W47')).toHaveLength(26)
  })

  it('read naturally in Chinese and English', () => {
    expect(periodLabel('2026-W47', 'zh-CN')).toBe('2026年第47周 11月16日–22日')
    expect(periodLabel('2026-W47', 'en')).toBe('Week 47, 2026 (16–22 Nov)')
    expect(periodLabel('2026-W49', 'zh-CN')).toBe('2026年第49周 11月30日–12月6日')
    expect(periodLabel('2026-W49', 'en')).toBe('Week 49, 2026 (30 Nov – 6 Dec)')
    expect(periodLabel('2026-11', 'zh-CN')).toBe('2026年11月')
    expect(periodLabel('2026-11', 'en')).toBe('November 2026')
    expect(periodKind('2026-W47')).toBe('week')
    expect(periodKind('2026-11')).toBe('month')
  })
})
