import { describe, expect, it } from 'vitest'
import { DEFAULT_FILTER, EMPTY_FILTER, type AnalystFilter } from './filter-state.ts'
import {
  categoryBitMaskOf,
  coversSelection,
  filterCategoriesOf,
  GPU_CATEGORY_LIMIT,
  type HeldTime,
  pointFilterOf,
  pointsSelectionOf,
  timeCutOf,
} from './point-selection.ts'
import { withWindow } from './filter-state.ts'

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

  it('before the points arrive, takes only the window fetched as held', () => {
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

describe('the time window of held points', () => {
  const MINUTE = 60_000
  const iso = (ms: number) => new Date(ms).toISOString()
  const from = Date.parse('2026-01-01T00:00:00.000Z')
  const to = Date.parse('2026-03-01T00:00:00.000Z')
  const window = { ...EMPTY_FILTER, from: iso(from), to: iso(to) }
  // Points fetched for the window: their minutes count from the first point's minute.
  const held: HeldTime = { base: from + 7 * MINUTE, unitMs: MINUTE, windowFrom: from, windowTo: to }
  const loaded = fetched(window)
  const narrowed = (a: number, b: number) => ({ ...window, from: iso(a), to: iso(b) })

  it('cuts a narrower window of whole minutes on the GPU, with no request', () => {
    for (const [a, b] of [
      [from, to - MINUTE],
      [from + 31 * 86_400_000, to],
      [from + MINUTE, from + 2 * MINUTE],
    ]) {
      const next = narrowed(a!, b!)
      expect(coversSelection(loaded, next, held), `${next.from} – ${next.to}`).toBe(true)
      expect(timeCutOf(next, held)).toEqual([a, b])
    }
    // The window held itself is no cut.
    expect(coversSelection(loaded, window, held)).toBe(true)
    expect(timeCutOf(window, held)).toBeNull()
  })

  it('refetches a window reaching past the one held, even by a minute', () => {
    expect(coversSelection(loaded, narrowed(from - MINUTE, to), held)).toBe(false)
    expect(coversSelection(loaded, narrowed(from, to + MINUTE), held)).toBe(false)
    expect(coversSelection(loaded, { ...window, to: null }, held)).toBe(false)
    expect(coversSelection(loaded, { ...window, from: null }, held)).toBe(false)
  })

  it('refetches a window whose bounds fall between minutes, which only the server cuts exactly', () => {
    expect(coversSelection(loaded, narrowed(from + 1000, to), held)).toBe(false)
    expect(coversSelection(loaded, narrowed(from, to - 1), held)).toBe(false)
  })

  it('cuts a window brushed inside a relative range from the range’s points, as the server resolved it', () => {
    const now = Date.parse('2026-12-02T13:45:31.250Z')
    const year: HeldTime = {
      base: Math.floor((now - 365 * 86_400_000) / MINUTE) * MINUTE,
      unitMs: MINUTE,
      windowFrom: now - 365 * 86_400_000 - 17,
      windowTo: now,
    }
    const inside = withWindow(DEFAULT_FILTER, new Date(now - 40 * 86_400_000 + 12_345), new Date(now - 10 * 86_400_000 - 29_000))
    expect(coversSelection(fetched(DEFAULT_FILTER), inside, year)).toBe(true)
    // Up to the right edge: rounded to the next minute, past the range's end, so fetched.
    const toTheEnd = withWindow(DEFAULT_FILTER, new Date(now - 40 * 86_400_000), new Date(now))
    expect(coversSelection(fetched(DEFAULT_FILTER), toTheEnd, year)).toBe(false)
  })

  it('refetches another relative range: it ends at the server’s now, past what is held', () => {
    const year: HeldTime = { base: 0, unitMs: MINUTE, windowFrom: -Infinity, windowTo: Infinity }
    expect(coversSelection(fetched(DEFAULT_FILTER), { ...DEFAULT_FILTER, range: '30d' }, year)).toBe(false)
    expect(coversSelection(fetched(DEFAULT_FILTER), DEFAULT_FILTER, year)).toBe(true)
    expect(timeCutOf(DEFAULT_FILTER, year)).toBeNull()
  })

  it('cuts only bounds on the unit of points spanning more than 2^24 minutes', () => {
    const coarse: HeldTime = { ...held, unitMs: 2 * MINUTE, base: from }
    expect(coversSelection(loaded, narrowed(from + 2 * MINUTE, to), coarse)).toBe(true)
    expect(coversSelection(loaded, narrowed(from + MINUTE, to), coarse)).toBe(false)
  })
})

describe('withWindow', () => {
  it('rounds a brushed window to whole minutes, at least one long', () => {
    const f = withWindow(DEFAULT_FILTER, new Date('2026-03-01T10:15:29.999Z'), new Date('2026-03-08T07:00:30.000Z'))
    expect([f.from, f.to]).toEqual(['2026-03-01T10:15:00.000Z', '2026-03-08T07:01:00.000Z'])
    const short = withWindow(DEFAULT_FILTER, new Date('2026-03-01T10:15:10Z'), new Date('2026-03-01T10:15:20Z'))
    expect([short.from, short.to]).toEqual(['2026-03-01T10:15:00.000Z', '2026-03-01T10:16:00.000Z'])
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
