/**
 * The incident part of the cell panel: the subtree's roll-ups (all cases, open, overdue, closed,
 * how many were resolved inside the grid and inside the town, mean time to close) and the open
 * cases, newest first, as the live feed keeps them. A row opens the case in the drawer.
 */
import { useTranslation } from 'react-i18next'
import type { IncidentRollup } from '../../api/client.ts'
import type { CategoryIndex } from '../../incidents/categories.ts'
import { IncidentRowContent } from '../../incidents/incident-row.tsx'
import type { IncidentPoint } from '../../incidents/open-incidents.ts'

/** Rows shown; the map shows them all. */
const LIST_LIMIT = 40

export function IncidentFigures({ rollup }: { rollup: IncidentRollup }) {
  const { t, i18n } = useTranslation()
  const format = new Intl.NumberFormat(i18n.resolvedLanguage)
  const rate = (value: number | null) => (value === null ? t('incidents.none') : t('incidents.percentValue', { value: (100 * value).toFixed(1) }))
  const figures = [
    { key: 'total', label: t('incidents.total'), value: format.format(rollup.total) },
    { key: 'open', label: t('incidents.open'), value: format.format(rollup.open) },
    { key: 'overdue', label: t('incidents.overdue'), value: format.format(rollup.overdue), alert: rollup.overdue > 0 },
    { key: 'resolved', label: t('incidents.resolved'), value: format.format(rollup.resolved) },
    { key: 'in-grid', label: t('incidents.resolvedInGrid'), value: rate(rollup.resolvedInGridRate) },
    { key: 'in-town', label: t('incidents.resolvedInTown'), value: rate(rollup.resolvedInTownRate) },
  ]
  return (
    <>
      <dl className="figures figures--incidents">
        {figures.map((figure) => (
          <div key={figure.key} className="figure" data-alert={figure.alert || undefined}>
            <dt className="figure__label">{figure.label}</dt>
            <dd className="figure__value">{figure.value}</dd>
          </div>
        ))}
      </dl>
      <dl className="counts counts--single">
        <div className="counts__item">
          <dt>{t('incidents.meanHoursToClose')}</dt>
          <dd>
            {rollup.meanHoursToClose === null ? t('incidents.none') : t('incidents.hoursValue', { value: Math.round(rollup.meanHoursToClose * 10) / 10 })}
          </dd>
        </div>
      </dl>
    </>
  )
}

export interface IncidentListProps {
  incidents: readonly IncidentPoint[] | undefined
  failed: boolean
  categories: CategoryIndex | undefined
  selectedId: number | null
  onSelect: (id: number) => void
}

export function IncidentList({ incidents, failed, categories, selectedId, onSelect }: IncidentListProps) {
  const { t } = useTranslation()
  const shown = incidents?.slice(0, LIST_LIMIT) ?? []
  // Busy while the cell's open cases load: the map draws them in the same moment the list fills.
  return (
    <section className="cell-panel__section" aria-labelledby="cell-panel-incidents" aria-busy={incidents === undefined && !failed}>
      <h3 id="cell-panel-incidents" className="section-title">
        <span>
          {t('incidents.list')}
          <span key={shown[0]?.id ?? 0} className="live-dot" role="img" aria-label={t('incidents.live')} title={t('incidents.live')} />
        </span>
        {incidents && incidents.length > 0 && <span className="section-title__aside">{t('incidents.listAside', { shown: shown.length })}</span>}
      </h3>
      {failed ? (
        <p className="cell-panel__note">{t('incidents.listError')}</p>
      ) : incidents && incidents.length === 0 ? (
        <p className="cell-panel__note">{t('incidents.listEmpty')}</p>
      ) : (
        <ul className="incident-list">
          {shown.map((incident) => (
            <li key={incident.id}>
              <button
                type="button"
                className="incident-row"
                data-incident-id={incident.id}
                data-overdue={incident.overdue || undefined}
                aria-current={selectedId === incident.id || undefined}
                onClick={() => onSelect(incident.id)}
              >
                <IncidentRowContent incident={incident} categories={categories} />
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
