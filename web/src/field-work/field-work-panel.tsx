/**
 * The map screen's panel for grid workers' field work: the coverage of the grid in view (30 days),
 * the silent-grids layer with the most silent household groups listed, and the playback of a
 * day's patrol tracks (date, one grid worker or all, play/pause, time of day).
 */
import { useTranslation } from 'react-i18next'
import { formatPlaybackTime } from './patrol-trips-layer.ts'
import { SILENT_DAYS, type FieldWorkPanelState } from './use-field-work.ts'
import { DayInput } from '../panels/day-input.tsx'
import './field-work.css'

const LISTED = 5

export function FieldWorkPanel(p: FieldWorkPanelState) {
  const { t, i18n } = useTranslation()
  const percent = new Intl.NumberFormat(i18n.resolvedLanguage, { style: 'percent', maximumFractionDigits: 0 })
  const silentCells = p.silent?.features.map((f) => f.properties) ?? []
  const km = p.tracks.reduce((sum, track) => sum + track.km, 0)
  return (
    <section className="panel field-work-panel" aria-labelledby="field-work-title" data-testid="field-work-panel">
      <h2 id="field-work-title" className="field-work-panel__title">
        {t('fieldWork.panelTitle')}
      </h2>
      {p.coverage && (
        <p className="field-work-panel__row" data-testid="coverage-share">
          {t('fieldWork.coverage')}:{' '}
          {t('fieldWork.coverageValue', { share: percent.format(p.coverage.visitedShare), visited: p.coverage.visited, households: p.coverage.households })}
        </p>
      )}
      <div className="field-work-panel__row">
        <label>
          <input type="checkbox" checked={p.showSilent} onChange={(e) => p.setShowSilent(e.target.checked)} data-testid="silent-toggle" />
          {t('fieldWork.silentLayer')}
        </label>
        <span
          className={p.outlineSilent ? 'field-work-panel__swatch field-work-panel__swatch--outline' : 'field-work-panel__swatch'}
          title={t('fieldWork.silentLegend')}
          data-testid="silent-swatch"
        />
      </div>
      {p.showSilent && !p.silentListed && (
        <p className="field-work-panel__note" data-testid="silent-by-county">
          {t('fieldWork.silentByCounty')}
        </p>
      )}
      {p.showSilent && p.silentListed && (
        <>
          <p className="field-work-panel__note">
            {t('fieldWork.silentDays', { days: SILENT_DAYS })}
            {p.outlineSilent && <span data-testid="silent-outlined"> · {t('fieldWork.silentOutlined')}</span>} ·{' '}
            <span data-testid="silent-count">{p.silent ? t('fieldWork.silentCount', { count: silentCells.length }) : '…'}</span>
          </p>
          {p.silent && silentCells.length === 0 && <p className="field-work-panel__note">{t('fieldWork.silentNone')}</p>}
          <ol className="field-work-panel__note" data-testid="silent-list">
            {silentCells.slice(0, LISTED).map((c) => (
              <li key={c.code}>
                {c.daysSilent === null
                  ? t('fieldWork.silentTooltipNever', { name: `${c.villageName}${c.name}` })
                  : t('fieldWork.silentTooltip', { name: `${c.villageName}${c.name}`, days: c.daysSilent })}
              </li>
            ))}
          </ol>
        </>
      )}
      <div className="field-work-panel__row">
        <label>
          <input type="checkbox" checked={p.showPlayback} onChange={(e) => p.setShowPlayback(e.target.checked)} data-testid="playback-toggle" />
          {t('fieldWork.playback')}
        </label>
      </div>
      {p.showPlayback && !p.mayReadTracks && <p className="field-work-panel__note">{t('fieldWork.playbackNotPermitted')}</p>}
      {p.showPlayback && p.mayReadTracks && (
        <>
          <div className="field-work-panel__row">
            <DayInput label={t('fieldWork.playbackDate')} value={p.date} onChange={(day) => day && p.setDate(day)} testId="playback-date" />
            <button type="button" className="button" onClick={() => p.setPlaying(!p.playing)} data-testid="playback-play">
              {p.playing ? t('fieldWork.playbackPause') : t('fieldWork.playbackPlay')}
            </button>
          </div>
          {p.pickable ? (
            <label className="field-work-panel__row field-work-panel__worker">
              <span>{t('fieldWork.playbackWorker')}</span>
              <select value={p.person ?? ''} onChange={(e) => p.setPerson(e.target.value === '' ? null : Number(e.target.value))} data-testid="playback-worker">
                <option value="">{t('fieldWork.playbackAllWorkers')}</option>
                {p.workers.map((w) => (
                  <option key={w.person} value={w.person}>
                    {t('fieldWork.playbackWorkerOption', { worker: w.worker, cell: w.cellName, count: w.patrols })}
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <p className="field-work-panel__note">{t('fieldWork.playbackWorkerZoom')}</p>
          )}
          <div className="field-work-panel__row">
            <input
              type="range"
              min={0}
              max={86_399}
              step={60}
              value={Math.floor(p.time)}
              aria-label={t('fieldWork.playbackTime')}
              onChange={(e) => p.setTime(Number(e.target.value))}
              data-testid="playback-time"
            />
            <span className="field-work-panel__time">{formatPlaybackTime(p.time)}</span>
          </div>
          <p className="field-work-panel__note" data-testid="playback-summary">
            {p.tracksLoading
              ? t('fieldWork.playbackLoading')
              : p.tracks.length === 0
                ? t('fieldWork.playbackNone')
                : t('fieldWork.playbackTracks', { count: p.tracks.length, km: km.toFixed(1) })}
          </p>
        </>
      )}
    </section>
  )
}
