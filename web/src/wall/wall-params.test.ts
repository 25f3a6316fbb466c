import { describe, expect, it } from 'vitest'
import { isWallPath, parseWallParams } from './wall-params.ts'

describe('wall URL parameters', () => {
  it('defaults to a tour of all towns, Chinese, every layer, no sound', () => {
    const p = parseWallParams('')
    expect(p).toMatchObject({ tour: 'all', intervalMs: 60_000, idleMs: 120_000, language: 'zh-CN', sound: false })
    expect([...p.layers]).toEqual(['grid', 'points', 'heat', 'silent'])
  })

  it('reads every parameter', () => {
    const p = parseWallParams('?tour=440904004,440904126&interval=15&idle=30&lang=en&layers=heat,grid&sound=1')
    expect(p).toMatchObject({ tour: ['440904004', '440904126'], intervalMs: 15_000, idleMs: 30_000, language: 'en', sound: true })
    expect([...p.layers].sort()).toEqual(['grid', 'heat'])
    expect(parseWallParams('?tour=off').tour).toBe('off')
    expect(parseWallParams('?lang=zh').language).toBe('zh-CN')
  })

  it('falls back or clamps instead of failing on a bad value', () => {
    const p = parseWallParams('?tour=abc&interval=soon&idle=-5&lang=fr&layers=bogus')
    expect(p).toMatchObject({ tour: 'all', intervalMs: 60_000, idleMs: 1000, language: 'zh-CN' })
    expect(p.layers.size).toBe(0)
    expect(parseWallParams('?interval=0.1').intervalMs).toBe(2000)
    expect(parseWallParams('?interval=99999').intervalMs).toBe(3_600_000)
  })

  it('recognises the wall path only', () => {
    expect(isWallPath('/wall')).toBe(true)
    expect(isWallPath('/wall/')).toBe(true)
    expect(isWallPath('/walls')).toBe(false)
    expect(isWallPath('/grid/440904')).toBe(false)
  })
})
