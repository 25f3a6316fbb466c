import { describe, expect, it } from 'vitest'
import {
  DEFAULT_FILTER,
  EMPTY_FILTER,
  filterFromSearch,
  filterToParams,
  searchOfFilter,
  toggled,
  withCategory,
  withWindow,
  type AnalystFilter,
} from './filter-state.ts'
import { addressOfFilter } from './use-analyst-filter.ts'

const FULL: AnalystFilter = {
  category: ['dispute.land', 'safety'],
  status: ['closed', 'handling'],
  severity: [3, 4],
  grid: '440904004',
  range: null,
  from: '2026-01-01T00:00:00.000Z',
  to: '2026-02-01T00:00:00.000Z',
  overdue: true,
  escalated: true,
  q: '噪音',
}

describe('filter ↔ address', () => {
  it('opens a bare address with disputes of the last 12 months', () => {
    expect(filterFromSearch('')).toEqual(DEFAULT_FILTER)
    expect(searchOfFilter(DEFAULT_FILTER)).toBe('?category=dispute&range=12m')
  })

  it('round-trips every field', () => {
    expect(filterFromSearch(searchOfFilter(FULL))).toEqual(FULL)
    const relative = { ...FULL, range: '30d' as const, from: null, to: null }
    expect(filterFromSearch(searchOfFilter(relative))).toEqual(relative)
  })

  it('writes the same address for the same selection, whatever order it was built in', () => {
    const shuffled = { ...FULL, category: ['safety', 'dispute.land'], status: ['handling', 'closed'] as AnalystFilter['status'], severity: [4, 3] }
    expect(searchOfFilter(shuffled)).toBe(searchOfFilter(FULL))
  })

  it('keeps an empty selection distinct from the default', () => {
    expect(addressOfFilter(EMPTY_FILTER)).toBe('/analyst?all=1')
    expect(filterFromSearch('?all=1')).toEqual(EMPTY_FILTER)
    expect(addressOfFilter(DEFAULT_FILTER)).toBe('/analyst?category=dispute&range=12m')
  })

  it('drops values the server would reject instead of failing the page', () => {
    const f = filterFromSearch('?category=dispute,DROP%20TABLE&status=closed,nope&severity=2,9&grid=12ab&range=5y&from=yesterday&overdue=yes')
    expect(f).toEqual({ ...EMPTY_FILTER, category: ['dispute'], status: ['closed'], severity: [2] })
  })

  it('lets a relative range win over an absolute window in the query', () => {
    expect(filterToParams({ ...FULL, range: '7d' })).not.toHaveProperty('from')
    expect(filterToParams({ ...FULL, range: '7d' }).range).toBe('7d')
  })
})

describe('changes', () => {
  it('narrows to the category of a clicked bar', () => {
    const f = withCategory({ ...EMPTY_FILTER, category: ['dispute', 'safety.fire'] }, 'dispute.land')
    expect(f.category).toEqual(['dispute.land'])
    expect(withCategory(f, 'dispute.land')).toBe(f)
  })

  it('toggles list values', () => {
    expect(toggled(['closed'], 'handling')).toEqual(['closed', 'handling'])
    expect(toggled([2, 3], 3)).toEqual([2])
  })

  it('sets an absolute window in place of a relative range', () => {
    const f = withWindow(DEFAULT_FILTER, new Date('2026-03-01T00:00:00Z'), new Date('2026-03-08T00:00:00Z'))
    expect(f.range).toBeNull()
    expect(filterToParams(f)).toMatchObject({ from: '2026-03-01T00:00:00.000Z', to: '2026-03-08T00:00:00.000Z' })
  })
})
