/**
 * Scores over months: the grid's own score and its children's for the `months` periods ending
 * with `period`, and the biggest movers (children whose score changed most since the period
 * before). A child without a score in either period does not move (no score is not zero).
 */
import type { Sql } from '../db/connect.ts'
import { previousPeriod, type Period } from './period.ts'
import { evaluateCells, evaluateGrid, type GridRef } from './queries.ts'
import type { Weights } from './weights.ts'

export interface TrendPoint {
  period: string
  score: number | null
  reports: number
  cells: { code: string; score: number | null }[]
}

export interface Mover {
  code: string
  name: string
  score: number
  previousScore: number
  change: number
}

export async function scoreTrend(sql: Sql, scope: string, grid: GridRef, period: Period, months: number, weights: Weights) {
  const periods: Period[] = [period]
  while (periods.length < months) periods.unshift(previousPeriod(periods[0]!))
  const points: TrendPoint[] = []
  const names = new Map<string, string>()
  // One period at a time: each is one pass over its rows; in parallel they would only queue.
  for (const p of periods) {
    const self = await evaluateGrid(sql, scope, grid, p, weights)
    const cells = grid.level < 5 ? await evaluateCells(sql, scope, grid, grid.level + 1, p, weights) : []
    for (const c of cells) names.set(c.code, c.name)
    points.push({ period: p.label, score: self.score, reports: self.counts.reports, cells: cells.map((c) => ({ code: c.code, score: c.score })) })
  }
  const last = points.at(-1)!
  const before = new Map((points.at(-2)?.cells ?? []).map((c) => [c.code, c.score]))
  const movers: Mover[] = []
  for (const c of last.cells) {
    const previousScore = before.get(c.code)
    if (c.score === null || previousScore === null || previousScore === undefined) continue
    movers.push({ code: c.code, name: names.get(c.code) ?? c.code, score: c.score, previousScore, change: Math.round((c.score - previousScore) * 10) / 10 })
  }
  movers.sort((a, b) => Math.abs(b.change) - Math.abs(a.change) || a.code.localeCompare(b.code))
  return { grid, period, months: points, movers: movers.slice(0, 10) }
}
