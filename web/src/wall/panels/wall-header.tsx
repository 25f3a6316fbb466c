/** The wall's top bar: product and district, the view in focus with the tour's state, and the clock (China Standard Time). */
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { formatCstDate, formatCstTime } from '../cst-clock.ts'
import type { TourView } from '../use-tour.ts'

export function WallHeader({
  district,
  focusName,
  tour,
  stopCount,
  touring,
}: {
  district: string
  focusName: string
  tour: TourView
  stopCount: number
  touring: boolean
}) {
  const { t } = useTranslation()
  const tourText =
    !touring || stopCount <= 1
      ? t('wall.tourOff')
      : tour.paused
        ? t('wall.tourPaused', { seconds: Math.max(0, Math.ceil(((tour.resumesAt ?? Date.now()) - Date.now()) / 1000)) })
        : t('wall.tour', { index: tour.index + 1, count: stopCount })
  return (
    <header className="wall-header">
      <div className="wall-header__brand">
        <svg className="wall-header__logo" viewBox="0 0 40 40" aria-hidden="true">
          <path d="M20 3 35 11.5v17L20 37 5 28.5v-17Z" fill="none" stroke="currentColor" strokeWidth="3" />
          <circle cx="20" cy="20" r="5" fill="currentColor" />
        </svg>
        <div>
          <h1 className="wall-header__title">{t('wall.title')}</h1>
          <p className="wall-header__subtitle">{t('wall.subtitle', { district })}</p>
        </div>
      </div>
      <div className="wall-header__focus">
        <span className="wall-header__focus-name" data-testid="wall-focus-name">
          {focusName}
        </span>
        <span className={`wall-header__tour${tour.paused ? ' wall-header__tour--paused' : ''}`}>{tourText}</span>
      </div>
      <WallClock />
    </header>
  )
}

function WallClock() {
  const { t, i18n } = useTranslation()
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    // Tick on the second boundary so the seconds change together with a wall clock.
    let timer: ReturnType<typeof setTimeout>
    const tick = () => {
      setNow(Date.now())
      timer = setTimeout(tick, 1000 - (Date.now() % 1000) + 5)
    }
    timer = setTimeout(tick, 1000 - (Date.now() % 1000) + 5)
    return () => clearTimeout(timer)
  }, [])
  const language = i18n.resolvedLanguage ?? 'zh-CN'
  return (
    <div className="wall-clock">
      <time className="wall-clock__time" dateTime={new Date(now).toISOString()}>
        {formatCstTime(now, language)}
      </time>
      <span className="wall-clock__date">
        {formatCstDate(now, language)} · {t('wall.timeZone')}
      </span>
    </div>
  )
}
