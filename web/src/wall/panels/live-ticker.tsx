/** New and escalated cases as they arrive, newest first (the list is capped in live-state.ts). */
import { useTranslation } from 'react-i18next'
import type { CategoryIndex } from '../../incidents/categories.ts'
import { categoryColor, categoryLabel } from '../../incidents/categories.ts'
import { toCss } from '../../map/palette.ts'
import { formatCstTime } from '../cst-clock.ts'
import type { TickerItem } from '../live-state.ts'

export function LiveTicker({
  items,
  categories,
  townOf,
  live,
}: {
  items: readonly TickerItem[]
  categories: CategoryIndex | undefined
  townOf: (gridCode: string) => string
  live: boolean
}) {
  const { t, i18n } = useTranslation()
  const language = i18n.resolvedLanguage ?? 'zh-CN'
  return (
    <section className="wall-panel wall-ticker">
      <h2 className="wall-panel__title">
        {t('wall.ticker')}
        <span key={items[0]?.eventId ?? 0} className={`wall-live-dot${live ? '' : ' wall-live-dot--down'}`}>
          {live ? t('wall.live') : t('wall.liveDown')}
        </span>
      </h2>
      {items.length === 0 ? (
        <p className="wall-panel__empty">{t('wall.tickerEmpty')}</p>
      ) : (
        <ol className="wall-ticker__list">
          {items.map((item) => (
            <li
              key={item.eventId}
              className={`wall-ticker__item wall-ticker__item--${item.action}`}
              data-incident-id={item.incidentId}
              data-event-id={item.eventId}
            >
              <span className="wall-ticker__time">{formatCstTime(Date.parse(item.at), language).slice(0, 5)}</span>
              <span className="wall-ticker__badge" style={{ borderColor: toCss(categoryColor(categories, item.category)) }}>
                {item.action === 'report' ? t('wall.tickerReport') : t('wall.tickerEscalate', { level: t(`levels.name${item.toLevel as 1 | 2 | 3 | 4 | 5}`) })}
              </span>
              <span className="wall-ticker__title">{item.title}</span>
              <span className="wall-ticker__meta">
                {townOf(item.gridCode)} · {categoryLabel(categories, item.category, language)}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
