/**
 * What one incident shows in a list (the cell panel's open cases, the analyst's list): a dot in its
 * category's colour, the title, the status badge, category and time, and an overdue mark.
 */
import { useTranslation } from 'react-i18next'
import type { IncidentStatus } from '../api/client.ts'
import { toCss } from '../map/palette.ts'
import { categoryColor, categoryLabel, type CategoryIndex } from './categories.ts'
import { formatDateTime } from './incident-tooltip.ts'

export interface IncidentRowFacts {
  category: string
  title: string
  status: IncidentStatus
  reportedAt: string
  overdue: boolean
}

export function IncidentRowContent({ incident, categories }: { incident: IncidentRowFacts; categories: CategoryIndex | undefined }) {
  const { t, i18n } = useTranslation()
  const language = i18n.resolvedLanguage
  return (
    <>
      <span className="incident-row__dot" style={{ background: toCss(categoryColor(categories, incident.category)) }} />
      <span className="incident-row__title">{incident.title}</span>
      <span className={`status-badge status-badge--${incident.status}`}>{t(`status.${incident.status}`)}</span>
      <span className="incident-row__meta">
        {categoryLabel(categories, incident.category, language)} · {formatDateTime(incident.reportedAt, language)}
        {incident.overdue && <span className="incident-row__overdue">{t('incidents.overdueBadge')}</span>}
      </span>
    </>
  )
}
