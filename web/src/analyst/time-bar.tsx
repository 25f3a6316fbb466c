/**
 * Under the map: the playback controls (play/pause, stop, speed, window length), the window
 * being shown and its count, and the time histogram (drag to set the filter's window).
 */
import { useTranslation } from 'react-i18next'
import type { IncidentSummary } from './analyst-api.ts'
import { SPEEDS, WINDOW_LENGTHS, type Playback, type TimeSpan } from './playback.ts'
import { TimeHistogram } from './time-histogram.tsx'
import { BUCKET_MS } from './use-analyst-data.ts'
import { formatDay, formatMonthDayTime } from '../i18n/dates.ts'

export interface TimeBarProps {
  summary: IncidentSummary | undefined
  span: TimeSpan | null
  playback: Playback
  window: TimeSpan | null
  inWindow: number | null
  onPlay: () => void
  onPause: () => void
  onStop: () => void
  onSpeed: (speed: number) => void
  onWindowLength: (length: Playback['windowLength']) => void
  onBrush: (from: Date, to: Date) => void
}

export function TimeBar(props: TimeBarProps) {
  const { summary, span, playback, window, inWindow, onPlay, onPause, onStop, onSpeed, onWindowLength, onBrush } = props
  const { t } = useTranslation()
  const date = formatDay
  const dateTime = formatMonthDayTime
  return (
    <div className="time-bar">
      <div className="time-bar__controls">
        {playback.playing ? (
          <button type="button" className="button button--icon" data-action="pause" onClick={onPause} aria-label={t('analyst.time.pause')}>
            ❚❚
          </button>
        ) : (
          <button type="button" className="button button--icon" data-action="play" onClick={onPlay} disabled={!span} aria-label={t('analyst.time.play')}>
            ▶
          </button>
        )}
        <button
          type="button"
          className="button button--icon"
          data-action="stop"
          onClick={onStop}
          disabled={playback.playhead === null}
          aria-label={t('analyst.time.stop')}
        >
          ■
        </button>
        <label className="time-bar__field">
          {t('analyst.time.speed')}
          <select value={playback.speed} onChange={(e) => onSpeed(Number(e.target.value))}>
            {SPEEDS.map((s) => (
              <option key={s} value={s}>
                {s}×
              </option>
            ))}
          </select>
        </label>
        <div className="segmented segmented--compact" role="radiogroup" aria-label={t('analyst.time.window')}>
          {WINDOW_LENGTHS.map((length) => (
            <button
              key={length}
              type="button"
              role="radio"
              aria-checked={playback.windowLength === length}
              className="segmented__option"
              onClick={() => onWindowLength(length)}
            >
              {t(`analyst.time.${length}`)}
            </button>
          ))}
        </div>
        <span className="time-bar__status" aria-live="off">
          {window ? t('analyst.time.showing', { from: dateTime(window.from), to: dateTime(window.to), count: inWindow ?? 0 }) : t('analyst.time.hint')}
        </span>
      </div>
      {summary && span ? (
        <TimeHistogram
          buckets={summary.byTime}
          span={span}
          bucketMs={BUCKET_MS[summary.bucket]}
          window={window}
          onBrush={onBrush}
          label={t('analyst.time.histogram')}
          formatDate={date}
        />
      ) : (
        <div className="time-histogram time-histogram--empty" />
      )}
    </div>
  )
}
