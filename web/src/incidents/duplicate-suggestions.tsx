/**
 * Before a report is sent: the open cases of the same kind already reported within 50 m in the
 * last 7 days (the server's duplicate check, as FixMyStreet shows nearby reports), each with
 * "the same case: add to it". Shown by the desk's report form and the phone's; the form itself
 * offers "report as new". Nothing shows until a category and a place are chosen; a failed check
 * (offline on the phone) says so and never blocks the report.
 */
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { errorText } from '../api/rpc.ts'
import { queryKeys } from '../api/query-keys.ts'
import { fetchDuplicates, type DuplicateCandidate } from './case-api.ts'
import { formatIsoDateTime } from './incident-tooltip.ts'

export const DUPLICATE_RADIUS_M = 50
export const DUPLICATE_DAYS = 7

/** Coordinates to about a metre, so a jittering GPS fix does not ask again every second. */
const round = (v: number) => Math.round(v * 1e5) / 1e5

/** Only subcategories are checked (the server compares the exact subcategory). */
const isSubcategory = (code: string) => /^[a-z_]+\.[a-z_]+$/.test(code)

export function useDuplicateCandidates(category: string, position: { lon: number; lat: number } | null, exclude?: number) {
  const lon = position ? round(position.lon) : 0
  const lat = position ? round(position.lat) : 0
  return useQuery({
    queryKey: queryKeys.incidents.duplicates(category, lon, lat, exclude),
    queryFn: () => fetchDuplicates(category, lon, lat, exclude),
    enabled: isSubcategory(category) && position !== null,
    staleTime: 30_000,
    retry: false,
  })
}

export interface DuplicateSuggestionsProps {
  category: string
  position: { lon: number; lat: number } | null
  /** Adds the report to the chosen case (disabled while `busy`). */
  onSame: (candidate: DuplicateCandidate) => void
  busy?: boolean
  /** Class names of the phone page or the desk (buttons differ in size). */
  variant?: 'desk' | 'phone'
}

export function DuplicateSuggestions({ category, position, onSame, busy, variant = 'desk' }: DuplicateSuggestionsProps) {
  const { t } = useTranslation()
  const query = useDuplicateCandidates(category, position)
  if (!query.isEnabled) return null
  const vars = { radius: DUPLICATE_RADIUS_M, days: DUPLICATE_DAYS }
  if (query.isPending) return <p className="duplicates__note">{t('cases.duplicates.checking')}</p>
  if (query.isError) return <p className="duplicates__note">{t('cases.duplicates.failed', { detail: errorText(query.error) ?? '' })}</p>
  const items = query.data.items
  if (items.length === 0) {
    return (
      <p className="duplicates__note" data-testid="duplicates-none">
        {t('cases.duplicates.none', vars)}
      </p>
    )
  }
  return (
    <section className={`duplicates duplicates--${variant}`} aria-labelledby="duplicates-title" data-testid="duplicates">
      <h3 id="duplicates-title" className="duplicates__title">
        {t('cases.duplicates.title')}
      </h3>
      <p className="duplicates__lead">{t('cases.duplicates.lead', { ...vars, count: items.length })}</p>
      <ul className="duplicates__list">
        {items.map((c) => (
          <li key={c.id} className="duplicates__item" data-incident-id={c.id}>
            <div className="duplicates__what">
              <span className="duplicates__case">{c.title}</span>
              <span className={`status-badge status-badge--${c.status}`}>{t(`status.${c.status as 'reported'}`)}</span>
            </div>
            <div className="duplicates__meta">
              #{c.id} · {t('cases.duplicates.distance', { meters: c.distanceM })} · {formatIsoDateTime(c.reportedAt)}
            </div>
            <button type="button" className={variant === 'phone' ? 'field-button' : 'button'} disabled={busy} onClick={() => onSame(c)}>
              {t('cases.duplicates.same')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  )
}
