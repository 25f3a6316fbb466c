/**
 * The selection's figures at a glance: total, open, overdue, closed, resolved in the grid / in
 * the town, mean time to close; and, while playback runs, how many fall in the window shown.
 */
import { useTranslation } from 'react-i18next'
import type { IncidentSummary } from './analyst-api.ts'

export interface KpiStripProps {
  summary: IncidentSummary | undefined
  /** Incidents in the playback window, or null when not playing back. */
  inWindow: number | null
}

export function KpiStrip({ summary, inWindow }: KpiStripProps) {
  const { t } = useTranslation()
  const none = t('incidents.none')
  const number = (value: number | undefined) => (value === undefined ? none : value.toLocaleString())
  const percent = (rate: number | null | undefined) => (rate === null || rate === undefined ? none : `${(rate * 100).toFixed(1)}%`)
  const figures = [
    { key: 'total', label: t('incidents.total'), value: number(summary?.total), raw: summary?.total },
    { key: 'open', label: t('incidents.open'), value: number(summary?.open), raw: summary?.open },
    { key: 'overdue', label: t('incidents.overdue'), value: number(summary?.overdue), raw: summary?.overdue },
    { key: 'closed', label: t('incidents.resolved'), value: number(summary?.closed), raw: summary?.closed },
    { key: 'in-grid', label: t('incidents.resolvedInGrid'), value: percent(summary?.resolvedInGridRate) },
    { key: 'in-town', label: t('incidents.resolvedInTown'), value: percent(summary?.resolvedInTownRate) },
    {
      key: 'hours',
      label: t('incidents.meanHoursToClose'),
      value: summary?.meanHoursToClose == null ? none : t('incidents.hoursValue', { value: Math.round(summary.meanHoursToClose) }),
    },
  ]
  return (
    <dl className="kpi-strip">
      {figures.map((f) => (
        <div key={f.key} className={`kpi kpi--${f.key}`} data-kpi={f.key} data-value={f.raw ?? ''}>
          <dt className="kpi__label">{f.label}</dt>
          <dd className="kpi__value">{f.value}</dd>
        </div>
      ))}
      {inWindow !== null && (
        <div className="kpi kpi--window" data-kpi="window" data-value={inWindow}>
          <dt className="kpi__label">{t('analyst.kpi.inWindow')}</dt>
          <dd className="kpi__value">{inWindow.toLocaleString()}</dd>
        </div>
      )}
    </dl>
  )
}
