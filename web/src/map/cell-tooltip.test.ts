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

  it('gives the score, rank among peers and the indicator lost most on when the map is coloured by score', () => {
    const scored = { score: 61.25, rank: 3, peers: 12, pulledDownBy: 'onTimeRate' as const }
    expect(getCellTooltip(TOWN, createI18n('zh-CN').t, scored).rows.slice(1)).toEqual([
      { label: '考核得分', value: '61.3' },
      { label: '同级排名', value: '第 3 名 / 共 12 个' },
      { label: '主要失分项', value: '按期处置率' },
    ])
    expect(getCellTooltip(TOWN, createI18n('en').t, scored).rows.slice(1)).toEqual([
      { label: 'Score', value: '61.3' },
      { label: 'Rank among peers', value: '3 of 12' },
      { label: 'Lost most on', value: 'On-time handling rate' },
    ])
  })

  it('says 无数据, never 0, for a cell without a score', () => {
    const rows = getCellTooltip(TOWN, createI18n('zh-CN').t, { score: null, rank: null, peers: 12, pulledDownBy: null }).rows
    expect(rows.map((r) => r.value)).toEqual(['镇（街道）', '无数据', '—', '—'])
  })
})
