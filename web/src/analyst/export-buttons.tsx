/**
 * Export of exactly the selection, as CSV (UTF-8 with BOM, for Excel) or GeoJSON: the stream is
 * read with a progress bar (rows received ÷ the x-total-count the server sends first), then
 * saved from a Blob. One export at a time; it can be cancelled.
 */
import { useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { fetchExport, type ExportFormat } from './analyst-api.ts'
import { progressFraction, saveBlob, type DownloadProgress } from './download.ts'
import type { AnalystFilter } from './filter-state.ts'

export function ExportButtons({ filter }: { filter: AnalystFilter }) {
  const { t } = useTranslation()
  const [running, setRunning] = useState<{ format: ExportFormat; progress: DownloadProgress } | null>(null)
  const [failed, setFailed] = useState<string | null>(null)
  const abort = useRef<AbortController | null>(null)

  const start = async (format: ExportFormat) => {
    const controller = new AbortController()
    abort.current = controller
    setFailed(null)
    setRunning({ format, progress: { bytes: 0, rows: 0, total: null } })
    try {
      const blob = await fetchExport(filter, format, (progress) => setRunning({ format, progress }), controller.signal)
      const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')
      saveBlob(blob, `gridscope-incidents-${stamp}.${format === 'csv' ? 'csv' : 'geojson'}`)
    } catch (error) {
      if (!controller.signal.aborted) setFailed(error instanceof Error ? error.message : String(error))
    } finally {
      abort.current = null
      setRunning(null)
    }
  }

  const fraction = running ? progressFraction(running.progress) : null
  return (
    <section className="analyst-export" aria-label={t('analyst.export.heading')}>
      <h3 className="section-title">{t('analyst.export.heading')}</h3>
      <div className="analyst-export__buttons">
        {(['csv', 'geojson'] as const).map((format) => (
          <button key={format} type="button" className="button" data-format={format} disabled={running !== null} onClick={() => void start(format)}>
            {t(`analyst.export.${format}`)}
          </button>
        ))}
      </div>
      {running && (
        <div className="analyst-export__progress" role="status">
          <progress max={1} value={fraction ?? undefined} aria-label={t('analyst.export.progress')} />
          <span>
            {running.progress.total === null
              ? t('analyst.export.bytes', { kb: Math.round(running.progress.bytes / 1024) })
              : t('analyst.export.rows', { rows: running.progress.rows, total: running.progress.total })}
          </span>
          <button type="button" className="link-button" onClick={() => abort.current?.abort()}>
            {t('analyst.export.cancel')}
          </button>
        </div>
      )}
      {failed && (
        <p className="cell-panel__note" role="alert">
          {t('analyst.export.failed', { detail: failed })}
        </p>
      )}
    </section>
  )
}
