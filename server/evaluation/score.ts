/**
 * Scores from indicators: each indicator is normalised among the peers (the cells of the same
 * level under the same parent, or the workers of the same villager group) by min–max, turned so
 * that 1 is the best peer, and weighted; the score is 0–100 over the indicators the row has.
 * A row without activity (no case, patrol or notice) has no score (null), never zero. The breakdown says how many points each
 * indicator cost, so the one that pulled the score down is visible.
 */
import { LOWER_IS_BETTER, SCORED_INDICATORS, type IndicatorKey, type IndicatorValues } from './indicators.ts'
import type { Weights } from './weights.ts'

export interface ScoreInput {
  peerGroup: string
  /** Cases reported + patrol days + notice recipients: 0 means nothing to evaluate (no score). */
  activity: number
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

/**
 * Scores for `rows` in their order; ranks are within each peer group (1 = best). Plain loops over
 * arrays: a district month is 22,000 rows × 12 indicators, scored in one pass per peer group.
 */
export function scoreAmongPeers(rows: ScoreInput[], weights: Weights): Scored[] {
  const groups = new Map<string, number[]>()
  for (let i = 0; i < rows.length; i++) {
    const members = groups.get(rows[i]!.peerGroup)
    if (members) members.push(i)
    else groups.set(rows[i]!.peerGroup, [i])
  }
  const keys = SCORED_INDICATORS
  const lower = keys.map((k) => LOWER_IS_BETTER.has(k))
  const w = keys.map((k) => weights[k])
  const min = new Array<number>(keys.length)
  const max = new Array<number>(keys.length)
  const out = new Array<Scored>(rows.length)
  for (const members of groups.values()) {
    min.fill(Number.POSITIVE_INFINITY)
    max.fill(Number.NEGATIVE_INFINITY)
    for (const i of members) {
      const row = rows[i]!
      if (row.activity <= 0) continue
      for (let k = 0; k < keys.length; k++) {
        const v = row.values[keys[k]!]
        if (v === null) continue
        if (v < min[k]!) min[k] = v
        if (v > max[k]!) max[k] = v
      }
    }
    for (const i of members) {
      const row = rows[i]!
      const breakdown = new Array<BreakdownItem>(keys.length)
      let total = 0
      for (let k = 0; k < keys.length; k++) {
        const indicator = keys[k]!
        const value = row.values[indicator]
        if (row.activity <= 0 || value === null || min[k] === Number.POSITIVE_INFINITY) {
          breakdown[k] = { indicator, value, normalised: null, weight: w[k]!, lost: null }
          continue
        }
        const lo = min[k]!
        const hi = max[k]!
        const better = hi === lo ? 1 : lower[k] ? (hi - value) / (hi - lo) : (value - lo) / (hi - lo)
        breakdown[k] = { indicator, value, normalised: round(better, 4), weight: w[k]!, lost: 0 }
        if (w[k]! > 0) total += w[k]!
      }
      if (row.activity <= 0 || total === 0) {
        out[i] = { score: null, rank: null, peers: members.length, pulledDownBy: null, breakdown }
        continue
      }
      let sum = 0
      let worst: BreakdownItem | null = null
      for (const b of breakdown) {
        if (b.normalised === null || b.weight <= 0) continue
        b.lost = round((100 * b.weight * (1 - b.normalised)) / total)
        sum += (100 * b.weight * b.normalised) / total
        if (worst === null || b.lost > worst.lost!) worst = b
      }
      out[i] = { score: round(sum, 1), rank: null, peers: members.length, pulledDownBy: worst && worst.lost! > 0 ? worst.indicator : null, breakdown }
    }
    const ranked = members.filter((i) => out[i]!.score !== null).sort((a, b) => out[b]!.score! - out[a]!.score!)
    ranked.forEach((i, k) => {
      out[i]!.rank = k > 0 && out[ranked[k - 1]!]!.score === out[i]!.score ? out[ranked[k - 1]!]!.rank : k + 1
    })
  }
  return out
}
