import { describe, expect, it } from 'vitest'
import { DEFAULT_FILTER, EMPTY_FILTER, type AnalystFilter } from './filter-state.ts'
import { categoryBitMaskOf, coversSelection, filterCategoriesOf, GPU_CATEGORY_LIMIT, pointFilterOf, pointsSelectionOf } from './point-selection.ts'

const ORDER = ['dispute.land', 'dispute.neighbour', 'hazard.fire', 'hazard.road']
const fetched = (filter: AnalystFilter) => pointsSelectionOf(filter, ORDER.length)

describe('pointsSelectionOf', () => {
  it('leaves categories, statuses and severities open and keeps every server-side parameter', () => {
    const filter: AnalystFilter = {
      ...EMPTY_FILTER,
      category: ['dispute'],
      status: ['closed'],
      severity: [3],
      grid: '440904001',
      range: '30d',
      overdue: true,
      q: '纠纷',
    }
    expect(pointsSelectionOf(filter, ORDER.length)).toEqual({ ...filter, category: [], status: [], severity: [] })
  })

  it('keeps the categories on the server when there are more subcategories than the GPU masks hold', () => {
    expect(pointsSelectionOf(DEFAULT_FILTER, GPU_CATEGORY_LIMIT + 1).category).toEqual(['dispute'])
  })
})

describe('coversSelection', () => {
  const loaded = fetched(DEFAULT_FILTER)

  it('covers narrowing and re-widening categories, statuses and severities', () => {
    for (const next of [
      DEFAULT_FILTER,
      { ...DEFAULT_FILTER, category: ['dispute.land'] },
      { ...DEFAULT_FILTER, category: [] },
      { ...DEFAULT_FILTER, status: ['closed', 'handling'] as AnalystFilter['status'] },
      { ...DEFAULT_FILTER, severity: [4] },
    ]) {
      expect(coversSelection(loaded, next), JSON.stringify(next)).toBe(true)
    }
  })

  it('refetches when any server-side parameter changes, the window included', () => {
    for (const change of [
      { grid: '440904001' },
      { range: '30d' as const },
      { range: null, from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' },
      { overdue: true },
      { escalated: true },
      { q: '纠纷' },
    ]) {
      expect(coversSelection(loaded, { ...DEFAULT_FILTER, ...change }), JSON.stringify(change)).toBe(false)
    }
  })

  it('compares an absolute window exactly: a narrower window is fetched', () => {
    const window = { ...EMPTY_FILTER, from: '2026-01-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z' }
    expect(coversSelection(fetched(window), { ...window, severity: [2] })).toBe(true)
    expect(coversSelection(fetched(window), { ...window, from: '2026-02-01T00:00:00.000Z' })).toBe(false)
  })

  it('treats an empty list as any: it covers all, and only any covers it', () => {
    const someStatuses = { ...DEFAULT_FILTER, status: ['closed'] as AnalystFilter['status'] }
    expect(coversSelection(someStatuses, { ...someStatuses, status: [] })).toBe(false)
    expect(coversSelection(someStatuses, { ...someStatuses, status: ['closed'] })).toBe(true)
    expect(coversSelection(someStatuses, { ...someStatuses, status: ['closed', 'verified'] })).toBe(false)
  })

  it('requires equal categories when they were fetched as selected', () => {
    const selected = pointsSelectionOf(DEFAULT_FILTER, GPU_CATEGORY_LIMIT + 1)
    expect(coversSelection(selected, DEFAULT_FILTER)).toBe(true)
    expect(coversSelection(selected, { ...DEFAULT_FILTER, category: ['dispute.land'] })).toBe(false)
  })
})

describe('pointFilterOf', () => {
  it('keeps the subcategories of a top-level category, and the chosen statuses and severities', () => {
    const filter = pointFilterOf({ ...EMPTY_FILTER, category: ['dispute', 'hazard.road'], status: ['handling', 'closed'], severity: [3, 4] }, ORDER)
    expect(filter).toEqual({ categories: [0, 1, 3], statuses: [3, 6], severities: [3, 4], open: false })
  })

  it('is open when nothing is cut', () => {
    expect(pointFilterOf(EMPTY_FILTER, ORDER)).toEqual({ categories: [0, 1, 2, 3], statuses: [0, 1, 2, 3, 4, 5, 6, 7], severities: [1, 2, 3, 4], open: true })
  })

  it('keeps every category key past the GPU masks (the server filtered them)', () => {
    const many = Array.from({ length: GPU_CATEGORY_LIMIT + 1 }, (_, i) => `c.s${i}`)
    expect(pointFilterOf({ ...EMPTY_FILTER, category: ['c.s3'] }, many).categories).toEqual([0])
  })
})

describe('categoryBitMaskOf', () => {
  it('sets bit v of channel c for each kept value, as the shader reads it', () => {
    const mask = categoryBitMaskOf(filterCategoriesOf({ categories: [0, 31], statuses: [6], severities: [1, 4], open: false }))
    expect(Array.from(mask)).toEqual([2 ** 31 + 1, 2 ** 6, 2 + 16, 0])
  })

  it('gives the same filterCategories array for the same filter (no redraw on an unchanged one)', () => {
    const filter = pointFilterOf(DEFAULT_FILTER, ORDER)
    expect(filterCategoriesOf(filter)).toBe(filterCategoriesOf(filter))
  })
})
