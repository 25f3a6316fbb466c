/** Figures of the level-1 grid on the map, and the legend of the towns choropleth. */
import { useTranslation } from 'react-i18next'
import type { GridCell } from '../api/client.ts'
import { TOWN_CLASS_FILLS, toCss } from '../map/palette.ts'
import type { TownClasses } from '../map/town-classes.ts'

export interface OverviewPanelProps {
  cell: GridCell
  legend: TownClasses['legend'] | undefined
}

export function OverviewPanel({ cell, legend }: OverviewPanelProps) {
  const { t, i18n } = useTranslation()
  const format = new Intl.NumberFormat(i18n.resolvedLanguage)
  const countAt = (level: number) => {
    const found = cell.descendantCounts.find((entry) => entry.level === level)
    return found ? format.format(found.count) : '—'
  }
  const figures = [
    { key: 'towns', label: t('overview.towns'), value: countAt(2) },
    { key: 'villages', label: t('overview.villages'), value: countAt(3) },
    { key: 'grids4', label: t('overview.grids4'), value: countAt(4) },
    { key: 'grids5', label: t('overview.grids5'), value: countAt(5) },
    { key: 'households', label: t('overview.households'), value: format.format(cell.stats.households) },
    { key: 'population', label: t('overview.population'), value: format.format(cell.stats.population) },
  ]
  return (
    <aside className="panel overview-panel" aria-labelledby="overview-heading">
      <div className="panel__eyebrow">{t('overview.heading')}</div>
      <h2 id="overview-heading" className="overview-panel__name">
        {cell.name}
        <span className="overview-panel__level">{t('overview.level1')}</span>
      </h2>
      <dl className="overview-panel__figures">
        {figures.map((figure) => (
          <div key={figure.key} className="figure">
            <dt className="figure__label">{figure.label}</dt>
            <dd className="figure__value">{figure.value}</dd>
          </div>
        ))}
      </dl>
      {legend && legend.length > 0 && (
        <div className="legend">
          <div className="legend__title">{t('overview.legend')}</div>
          <ul className="legend__items">
            {legend.map((entry) => (
              <li key={entry.householdsClass} className="legend__item">
                <span className="legend__swatch" style={{ background: toCss(TOWN_CLASS_FILLS[entry.householdsClass]!) }} />
                {t('overview.legendRange', { from: entry.from, to: entry.to })}
              </li>
            ))}
          </ul>
        </div>
      )}
    </aside>
  )
}
