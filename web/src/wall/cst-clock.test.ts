import { describe, expect, it } from 'vitest'
import { formatCstDate, formatCstShort, formatCstTime } from './cst-clock.ts'

describe('China Standard Time clock', () => {
  // 2026-11-27 16:05:09 UTC is 2026-11-28 00:05:09 in China (UTC+8): the date turns over.
  const instant = Date.UTC(2026, 10, 27, 16, 5, 9)

  it('shows the time in Asia/Shanghai whatever the machine zone, 24-hour', () => {
    expect(formatCstTime(instant, 'zh-CN')).toBe('00:05:09')
    expect(formatCstTime(instant, 'en')).toBe('00:05:09')
    expect(formatCstTime(Date.UTC(2026, 5, 1, 13, 59, 59), 'zh-CN')).toBe('21:59:59')
  })

  it('shows the China date with its weekday in the wall language', () => {
    expect(formatCstDate(instant, 'zh-CN')).toBe('2026年11月28日星期六')
    // ICU versions differ on the comma after the weekday; the words and the date are what matter.
    expect(formatCstDate(instant, 'en')).toMatch(/^Saturday,? 28 November 2026$/)
  })

  it('shortens to the time within the China day and to the date before it', () => {
    // 23:59 on the 27th and 00:05 on the 28th (China) are different days, though 6 minutes apart.
    const before = instant - 6 * 60_000
    expect(formatCstShort(instant - 60_000, instant, 'zh-CN')).toBe('00:04')
    expect(formatCstShort(before, instant, 'zh-CN')).toBe('11月27日')
    expect(formatCstShort(before, instant, 'en')).toBe('27 Nov')
  })
})
