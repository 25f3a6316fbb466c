/**
 * The patrol screen: one large button to start (开始巡查) and to end (结束巡查), and while it runs
 * how long, how many positions were recorded and how precise the last one was.
 */
import { useEffect, useState, useSyncExternalStore } from 'react'
import { useTranslation } from 'react-i18next'
import type { Patrol } from './use-patrol.ts'

function formatElapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000))
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}`
}

function subscribeOnline(onChange: () => void): () => void {
  window.addEventListener('online', onChange)
  window.addEventListener('offline', onChange)
  return () => {
    window.removeEventListener('online', onChange)
    window.removeEventListener('offline', onChange)
  }
}

export function PatrolSection({ patrol, canWrite }: { patrol: Patrol; canWrite: boolean }) {
  const { t } = useTranslation()
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    if (!patrol.running) return
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [patrol.running])
  const { running } = patrol
  const online = useSyncExternalStore(subscribeOnline, () => navigator.onLine)
  return (
    <section className="field-section" aria-labelledby="field-patrol-title">
      <h2 id="field-patrol-title" className="field-section__title">
        {t('mobile.patrol.title')}
      </h2>
      {running ? (
        <div className="field-patrol field-patrol--running" data-patrol-id={String(running.id ?? '')}>
          <p className="field-patrol__state" role="status">
            {t('mobile.patrol.running')}
          </p>
          {!online && (
            <p className="field-hint" data-testid="patrol-offline">
              {t('mobile.patrol.offline')}
            </p>
          )}
          <dl className="field-patrol__figures">
            <div>
              <dt>{t('mobile.patrol.elapsed')}</dt>
              <dd>{formatElapsed(now - running.startedAt)}</dd>
            </div>
            <div>
              <dt>{t('mobile.patrol.recorded')}</dt>
              <dd data-testid="patrol-recorded">{running.recorded}</dd>
            </div>
            <div>
              <dt>{t('mobile.patrol.accuracy')}</dt>
              <dd>{patrol.fix ? t('mobile.meters', { meters: Math.round(patrol.fix.accuracy) }) : '—'}</dd>
            </div>
          </dl>
          {patrol.geoError && (
            <p className="field-error" role="alert">
              {t(patrol.geoError === 'refused' ? 'mobile.patrol.geoRefused' : 'mobile.patrol.geoUnavailable')}
            </p>
          )}
          <button type="button" className="field-button field-button--danger field-button--big" onClick={() => void patrol.end()}>
            {t('mobile.patrol.end')}
          </button>
        </div>
      ) : (
        <div className="field-patrol">
          <p className="field-hint">{t('mobile.patrol.explain')}</p>
          {patrol.startFailed && (
            <p className="field-error" role="alert">
              {t('mobile.patrol.startFailed')}
            </p>
          )}
          <button
            type="button"
            className="field-button field-button--primary field-button--big"
            disabled={!canWrite || patrol.starting}
            onClick={() => void patrol.start()}
          >
            {patrol.starting ? t('mobile.patrol.starting') : t('mobile.patrol.start')}
          </button>
        </div>
      )}
    </section>
  )
}
