import { describe, expect, it } from 'vitest'
import { createI18n } from '../i18n/index.ts'
import { getCellTooltip } from './cell-tooltip.ts'

const TOWN = { name: '水东街道', level: 2, households: 31234, population: 112345 }

describe('getCellTooltip', () => {
  it('gives the name, level and households in Chinese', () => {
    const tooltip = getCellTooltip(TOWN, createI18n('zh-CN').t)
    expect(tooltip.title).toBe('水东街道')
    expect(tooltip.rows[0]).toEqual({ label: '层级', value: '镇（街道）' })
    expect(tooltip.rows[1]).toEqual({ label: '户数', value: '31,234 户' })
  })

  it('gives the name, level and households in English', () => {
    const tooltip = getCellTooltip({ ...TOWN, level: 5 }, createI18n('en').t)
    expect(tooltip.title).toBe('水东街道')
    expect(tooltip.rows[0]).toEqual({ label: 'Level', value: 'Household group' })
    expect(tooltip.rows[1]).toEqual({ label: 'Households', value: '31,234 households' })
  })

  it('formats with the grouping of the language', () => {
    expect(getCellTooltip({ ...TOWN, population: 1234567 }, createI18n('en').t).rows[2]?.value).toBe('1,234,567 people')
  })
})
