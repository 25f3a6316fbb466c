import { describe, expect, it } from 'vitest'
import { createI18n } from '../i18n/index.ts'
import { getTownTooltip } from './town-tooltip.ts'

const TOWN = { name: '水东街道', households: 31234, population: 112345 }

describe('getTownTooltip', () => {
  it('gives the name and the households in Chinese', () => {
    const tooltip = getTownTooltip(TOWN, createI18n('zh-CN').t)
    expect(tooltip.title).toBe('水东街道')
    expect(tooltip.rows[0]).toEqual({ label: '户数', value: '31,234 户' })
  })

  it('gives the name and the households in English', () => {
    const tooltip = getTownTooltip(TOWN, createI18n('en').t)
    expect(tooltip.title).toBe('水东街道')
    expect(tooltip.rows[0]).toEqual({ label: 'Households', value: '31,234 households' })
  })

  it('formats with the grouping of the language', () => {
    expect(getTownTooltip({ ...TOWN, population: 1234567 }, createI18n('en').t).rows[1]?.value).toBe('1,234,567 people')
  })
})
