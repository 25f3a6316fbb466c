/**
 * The wall is set up by its address alone: /wall?tour=…&interval=…&lang=…&layers=…&idle=…&sound=1
 * &ranking=score.
 * Parsed leniently (a wall must come up even with a typo in its address): a value that cannot be
 * read falls back to its default, numbers are clamped to a sensible range.
 */
import type { Language } from '../i18n/index.ts'

export const WALL_LAYERS = ['grid', 'points', 'heat', 'silent'] as const
export type WallLayer = (typeof WALL_LAYERS)[number]

export interface WallParams {
  /** Towns in the tour: all of them, the listed codes, or no tour. */
  tour: 'all' | 'off' | string[]
  intervalMs: number
  idleMs: number
  language: Language
  layers: ReadonlySet<WallLayer>
  sound: boolean
  /** The ranking panel: towns by open cases (default) or by evaluation score (`ranking=score`). */
  ranking: 'cases' | 'score'
}

export const DEFAULT_INTERVAL_S = 60
export const DEFAULT_IDLE_S = 120

function seconds(value: string | null, fallback: number, min: number, max: number): number {
  const n = value === null || value.trim() === '' ? NaN : Number(value)
  return (Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback) * 1000
}

export function parseWallParams(search: string): WallParams {
  const q = new URLSearchParams(search)
  const tourValue = (q.get('tour') ?? 'all').trim()
  const codes = tourValue
    .split(',')
    .map((c) => c.trim())
    .filter((c) => /^[0-9]{9}$/.test(c))
  const tour = tourValue === 'off' || tourValue === '0' ? 'off' : tourValue === 'all' || tourValue === '' ? 'all' : codes.length ? codes : 'all'
  const layersValue = q.get('layers')
  const layers =
    layersValue === null
      ? new Set<WallLayer>(WALL_LAYERS)
      : new Set(
          layersValue
            .split(',')
            .map((l) => l.trim())
            .filter((l): l is WallLayer => (WALL_LAYERS as readonly string[]).includes(l)),
        )
  const lang = (q.get('lang') ?? '').toLowerCase()
  return {
    tour,
    intervalMs: seconds(q.get('interval'), DEFAULT_INTERVAL_S, 2, 3600),
    idleMs: seconds(q.get('idle'), DEFAULT_IDLE_S, 1, 86_400),
    language: lang === 'en' || lang.startsWith('en-') ? 'en' : 'zh-CN',
    layers,
    sound: q.get('sound') === '1' || q.get('sound') === 'true',
    ranking: q.get('ranking') === 'score' ? 'score' : 'cases',
  }
}

export function isWallPath(pathname: string): boolean {
  return /^\/wall\/?$/.test(pathname)
}
