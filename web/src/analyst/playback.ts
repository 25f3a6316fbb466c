/**
 * Time playback, as pure functions of the clock: a window of one day, week or month slides over
 * the selection's time span; the map shows only the incidents reported inside it. The playhead
 * is the window's end. Nothing here refetches: the map filters the points it already holds on
 * the GPU (DataFilterExtension over the time column), the count in the window is two binary
 * searches of the same column (in time order), so a frame costs a uniform change.
 */
export const WINDOW_LENGTHS = ['day', 'week', 'month'] as const
export type WindowLength = (typeof WINDOW_LENGTHS)[number]

const HOUR = 3_600_000
const DAY = 24 * HOUR
export const WINDOW_MS: Record<WindowLength, number> = { day: DAY, week: 7 * DAY, month: 30 * DAY }

/** Simulated time per second of playback at 1×: a day. */
export const BASE_SPEED_MS_PER_S = DAY
export const SPEEDS = [1, 2, 4, 8, 16] as const

export interface TimeSpan {
  /** Epoch milliseconds. */
  from: number
  to: number
}

export interface Playback {
  playing: boolean
  /** Window end, epoch ms; null: no playback (every point of the selection shown). */
  playhead: number | null
  speed: number
  windowLength: WindowLength
}

export const STOPPED: Playback = { playing: false, playhead: null, speed: 4, windowLength: 'week' }

/** The shown window for a playhead: [playhead − window length, playhead], clipped to the span. */
export function windowAt(playhead: number, length: WindowLength, span: TimeSpan): TimeSpan {
  return { from: Math.max(span.from, playhead - WINDOW_MS[length]), to: Math.min(span.to, playhead) }
}

/** Where play starts: the first full window of the span (or the start again once at the end). */
export function startOf(playback: Playback, span: TimeSpan): number {
  const first = Math.min(span.to, span.from + WINDOW_MS[playback.windowLength])
  return playback.playhead === null || playback.playhead >= span.to ? first : playback.playhead
}

/** The playhead `elapsedMs` of real time later; stops at the span's end. */
export function advance(playback: Playback, elapsedMs: number, span: TimeSpan): Playback {
  if (!playback.playing || playback.playhead === null) return playback
  const next = playback.playhead + (elapsedMs / 1000) * BASE_SPEED_MS_PER_S * playback.speed
  return next >= span.to ? { ...playback, playhead: span.to, playing: false } : { ...playback, playhead: next }
}

/** A linear time ↔ pixel scale over `span`, for the histogram and its brush. */
export function timeScale(span: TimeSpan, width: number) {
  const length = Math.max(1, span.to - span.from)
  return {
    x: (t: number) => ((t - span.from) / length) * width,
    t: (x: number) => span.from + (Math.min(width, Math.max(0, x)) / width) * length,
  }
}
