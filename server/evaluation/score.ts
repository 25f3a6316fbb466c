/**
 * Scores from indicators: each indicator is normalised among the peers (the cells of the same
 * level under the same parent, or the workers of the same villager group) by min–max, turned so
 * that 1 is the best peer, and weighted; the score is 0–100 over the indicators the row has.
 * A row without cases has no score (null), never zero. The breakdown says how many points each
 * indicator cost, so the one that pulled the score down is visible.
 */
import { LOWER_IS_BETTER, SCORED_INDICATORS, type IndicatorKey, type IndicatorValues } from './indicators.ts'
import type { Weights } from './weights.ts'

export interface ScoreInput {
  peerGroup: string
  reports: number
  values: IndicatorValues
}

export interface BreakdownItem {
  indicator: IndicatorKey
  value: number | null
  /** 0 the worst peer … 1 the best; null when the row has no value. */
  normalised: number | null
  weight: number
  /** Points (of 100) lost on this indicator against the best peer. */
  lost: number | null
}

export interface Scored {
  score: number | null
  rank: number | null
  peers: number
  pulledDownBy: IndicatorKey | null
  breakdown: BreakdownItem[]
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits

/** Scores for `rows` in their order; ranks are within each peer group (1 = best). */
export function scoreAmongPeers(rows: ScoreInput[], weights: Weights): Scored[] {
  const groups = new Map<string, number[]>()
  rows.forEach((row, i) => groups.set(row.peerGroup, [...(groups.get(row.peerGroup) ?? []), i]))
  const out: Scored[] = rows.map(() => ({ score: null, rank: null, peers: 0, pulledDownBy: null, breakdown: [] }))
  for (const members of groups.values()) {
    const active = members.filter((i) => rows[i]!.reports > 0)
    const range = new Map<IndicatorKey, [number, number]>()
    for (const key of SCORED_INDICATORS) {
      const values = active.map((i) => rows[i]!.values[key]).filter((v): v is number => v !== null)
      if (values.length) range.set(key, [Math.min(...values), Math.max(...values)])
    }
    for (const i of members) {
      const row = rows[i]!
      const breakdown: BreakdownItem[] = SCORED_INDICATORS.map((key) => {
        const value = row.values[key]
        const span = range.get(key)
        if (row.reports === 0 || value === null || !span) return { indicator: key, value, normalised: null, weight: weights[key], lost: null }
        const [min, max] = span
        const better = max === min ? 1 : LOWER_IS_BETTER.has(key) ? (max - value) / (max - min) : (value - min) / (max - min)
        return { indicator: key, value, normalised: round(better, 4), weight: weights[key], lost: 0 }
      })
      const counted = breakdown.filter((b) => b.normalised !== null && b.weight > 0)
      const total = counted.reduce((s, b) => s + b.weight, 0)
      if (row.reports === 0 || total === 0) {
        out[i] = { score: null, rank: null, peers: members.length, pulledDownBy: null, breakdown }
        continue
      }
      for (const b of counted) b.lost = round((100 * b.weight * (1 - b.normalised!)) / total)
      const score = round(
        counted.reduce((s, b) => s + (100 * b.weight * b.normalised!) / total, 0),
        1,
      )
      const worst = counted.reduce((a, b) => (b.lost! > a.lost! ? b : a))
      out[i] = { score, rank: null, peers: members.length, pulledDownBy: worst.lost! > 0 ? worst.indicator : null, breakdown }
    }
    const ranked = members.filter((i) => out[i]!.score !== null).sort((a, b) => out[b]!.score! - out[a]!.score!)
    ranked.forEach((i, k) => {
      out[i]!.rank = k > 0 && out[ranked[k - 1]!]!.score === out[i]!.score ? out[ranked[k - 1]!]!.rank : k + 1
    })
  }
  return out
}
