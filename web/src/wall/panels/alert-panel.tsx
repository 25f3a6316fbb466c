/**
 * Serious incidents. A standing alert (raised by the live feed) is a highlighted card at the top
 * until acknowledged (a click on it, or any key: handled by the page) or timed out; below it the
 * open serious cases of the view in focus, from the summary.
 */
import { useTranslation } from 'react-i18next'
import type { CategoryIndex } from '../../incidents/categories.ts'
import { categoryLabel } from '../../incidents/categories.ts'
import type { ActiveAlert } from '../alerts.ts'
import { formatCstShort, formatCstTime } from '../cst-clock.ts'
import type { WallAlertRow } from '../wall-api.ts'

/** Rows of the serious-case list that fit under a standing alert card, and without one. */
const ROWS_WITH_CARD = 3
const ROWS_WITHOUT_CARD = 6

export function AlertPanel({
  standing,
  recent,
  categories,
  townOf,
  onAcknowledge,
}: {
  standing: readonly ActiveAlert[]
  recent: readonly WallAlertRow[] | undefined
  categories: CategoryIndex | undefined
  townOf: (gridCode: string) => string
  onAcknowledge: (eventId: number) => void
}) {
  const { t, i18n } = useTranslation()
  const language = i18n.resolvedLanguage ?? 'zh-CN'
  const top = standing[0]
  // A case with a standing card is not listed again below it.
  const rows = (recent ?? []).filter((a) => !standing.some((s) => s.incidentId === a.id)).slice(0, top ? ROWS_WITH_CARD : ROWS_WITHOUT_CARD)
  return (
    <section className={`wall-panel wall-alerts${top ? ' wall-alerts--raised' : ''}`}>
      <h2 className="wall-panel__title">{t('wall.alerts')}</h2>
      {top && (
        <button key={top.eventId} type="button" className="wall-alert-card" data-incident-id={top.incidentId} onClick={() => onAcknowledge(top.eventId)}>
          <span className="wall-alert-card__head">
            <span className="wall-alert-card__badge">{t('wall.alertNew')}</span>
            {top.reasons.map((r) => (
              <span key={r} className="wall-alert-card__reason">
                {t(`wall.reasons.${r}`)}
              </span>
            ))}
            <span className="wall-alert-card__time">{formatCstTime(top.raisedAt, language)}</span>
          </span>
          <span className="wall-alert-card__title">{top.title}</span>
          <span className="wall-alert-card__meta">
            {townOf(top.gridCode)} · {categoryLabel(categories, top.category, language)}
            {standing.length > 1 ? ` · ${t('wall.alertMore', { count: standing.length - 1 })}` : ''}
          </span>
          <span className="wall-alert-card__ack">{t('wall.alertAck')}</span>
        </button>
      )}
      {rows.length === 0 && !top ? (
        <p className="wall-panel__empty">{t('wall.alertsNone')}</p>
      ) : (
        <ol className="wall-alert-list">
          {rows.map((a) => (
            <li key={a.id} className="wall-alert-row" data-incident-id={a.id}>
              <span className="wall-alert-row__reason">{a.reasons.map((r) => t(`wall.reasons.${r}`)).join(' · ')}</span>
              <span className="wall-alert-row__title" title={a.title}>
                {a.title}
              </span>
              <span className="wall-alert-row__meta">
                {a.townName} · {formatCstShort(Date.parse(a.reportedAt), Date.now(), language)}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
