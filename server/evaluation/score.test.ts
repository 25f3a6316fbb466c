/** Scoring among peers: weights decide the ranking, no cases means no score, bad weights name the key. */
import { describe, expect, it } from 'vitest'
import { indicatorValues, EMPTY_COUNTS } from './indicators.ts'
import { scoreAmongPeers } from './score.ts'
import { parseWeights, readWeights, type Weights } from './weights.ts'
import { parsePeriod, previousPeriod, samePeriodLastYear } from './period.ts'

const ZERO: Weights = readWeights()
for (const k of Object.keys(ZERO) as (keyof Weights)[]) ZERO[k] = 0

const fast = { ...EMPTY_COUNTS, reports: 10, registered: 10, handled: 10, handledOnTime: 10, closed: 5 }
const thorough = { ...EMPTY_COUNTS, reports: 10, registered: 10, handled: 10, handledOnTime: 5, closed: 10 }
const rows = [fast, thorough, EMPTY_COUNTS].map((c) => ({ peerGroup: 'v', activity: c.reports, values: indicatorValues(c) }))

describe('scoreAmongPeers', () => {
  it('ranks by the weighted indicators: moving weight from on-time to closure swaps the first place', () => {
    const onTime = scoreAmongPeers(rows, { ...ZERO, onTimeRate: 3, closureRate: 1 })
    expect([onTime[0]!.rank, onTime[1]!.rank]).toEqual([1, 2])
    expect(onTime[0]!.score).toBe(75)
    expect(onTime[1]!.pulledDownBy).toBe('onTimeRate')
    const closure = scoreAmongPeers(rows, { ...ZERO, onTimeRate: 1, closureRate: 3 })
    expect([closure[0]!.rank, closure[1]!.rank]).toEqual([2, 1])
    expect(closure[0]!.pulledDownBy).toBe('closureRate')
    expect(closure[0]!.breakdown.find((b) => b.indicator === 'closureRate')!.lost).toBe(75)
  })

  it('gives a row without cases no score and no rank', () => {
    const [, , empty] = scoreAmongPeers(rows, readWeights())
    expect(empty!.score).toBeNull()
    expect(empty!.rank).toBeNull()
  })

  it('normalises only among the same peer group', () => {
    const split = scoreAmongPeers(
      [
        { ...rows[0]!, peerGroup: 'a' },
        { ...rows[1]!, peerGroup: 'b' },
      ],
      readWeights(),
    )
    expect(split.map((s) => [s.score, s.rank])).toEqual([
      [100, 1],
      [100, 1],
    ])
  })
})

describe('weights file', () => {
  it('names the bad key', () => {
    expect(() => parseWeights({ ...readWeights(), onTimeRate: -1 }, 'w.json')).toThrow(/w\.json: onTimeRate: expected a number ≥ 0/)
    expect(() => parseWeights({ ...readWeights(), closureRat: 1 }, 'w.json')).toThrow(/closureRat/)
    expect(() => parseWeights({ ...readWeights(), reworkRate: '1' }, 'w.json')).toThrow(/reworkRate/)
    expect(() => readWeights('data/nope.json')).toThrow(/data\/nope\.json/)
  })
})

describe('periods', () => {
  it('knows months, ISO weeks, 环比 and 同比 in China time', () => {
    expect(parsePeriod('2026-11')).toEqual({ label: '2026-11', kind: 'month', from: '2026-10-31T16:00:00.000Z', to: '2026-11-30T16:00:00.000Z' })
    expect(parsePeriod('2026-W01')!.from).toBe('2025-12-28T16:00:00.000Z')
    expect(parsePeriod('2026-W53')).not.toBeNull()
    expect(parsePeriod('2025-W53')).toBeNull()
    expect(previousPeriod(parsePeriod('2026-01')!).label).toBe('2025-12')
    expect(previousPeriod(parsePeriod('2027-W01')!).label).toBe('2026-W53')
    expect(samePeriodLastYear(parsePeriod('2026-W53')!).label).toBe('2025-W52')
  })
})
