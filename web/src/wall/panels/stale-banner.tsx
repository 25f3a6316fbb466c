/**
 * Said plainly when the picture is stale: the live feed has been down for a moment or the last
 * summary request failed. The screen keeps showing the last picture underneath.
 */
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { formatCstTime } from '../cst-clock.ts'

/** A blip shorter than this (the stream reopening at once) does not raise the banner. */
export const STALE_AFTER_MS = 2500

export function StaleBanner({ liveDownSince, summaryFailed, lastUpdate }: { liveDownSince: number | null; summaryFailed: boolean; lastUpdate: number | null }) {
  const { t, i18n } = useTranslation()
  const [now, setNow] = useState(() => Date.now())
  const waiting = liveDownSince !== null && !summaryFailed && now - liveDownSince < STALE_AFTER_MS
  useEffect(() => {
    if (!waiting) return
    const timer = setTimeout(() => setNow(Date.now()), STALE_AFTER_MS - (Date.now() - liveDownSince!) + 10)
    return () => clearTimeout(timer)
  }, [waiting, liveDownSince])
  if ((liveDownSince === null && !summaryFailed) || waiting) return null
  return (
    <div className="wall-stale" role="alert" data-testid="wall-stale">
      <strong>{lastUpdate === null ? t('wall.staleNever') : t('wall.stale', { time: formatCstTime(lastUpdate, i18n.resolvedLanguage ?? 'zh-CN') })}</strong>
      <span>{t('wall.staleRetry')}</span>
    </div>
  )
}
