/**
 * The map's colour key and the choice of the figure it colours by (households, population, or
 * an incident figure). The classes are those of the cells on the map, so the ranges change
 * with every level.
 */
import { useTranslation } from 'react-i18next'
import { CHOROPLETH_METRICS, type ChoroplethMetric, type LegendEntry } from '../../map/choropleth.ts'
import { CLASS_FILLS, toCss } from '../../map/palette.ts'
import { asGridLevel, LEVEL_NAME_KEYS } from '../../i18n/levels.ts'

export interface ChoroplethLegendProps {
  metric: ChoroplethMetric
  onMetric: (metric: ChoroplethMetric) => void
  legend: LegendEntry[]
  /** Level and number of the cells coloured. */
  level: number
  count: number
}

export function ChoroplethLegend({ metric, onMetric, legend, level, count }: ChoroplethLegendProps) {
  const { t } = useTranslation()
  return (
    <section className="panel legend-card" aria-labelledby="legend-heading">
      <div id="legend-heading" className="panel__eyebrow">
        {t('legend.heading')}
      </div>
      <div className="segmented" role="radiogroup" aria-label={t('legend.metric')}>
        {CHOROPLETH_METRICS.map((option) => (
          <button key={option} type="button" role="radio" aria-checked={metric === option} className="segmented__option" onClick={() => onMetric(option)}>
            {t(`metricsShort.${option}`)}
          </button>
        ))}
      </div>
      <div className="legend-card__cells">{t('legend.cells', { count, level: t(LEVEL_NAME_KEYS[asGridLevel(level)]) })}</div>
      <ul className="legend__items">
        {[...legend].reverse().map((entry) => (
          <li key={entry.valueClass} className="legend__item">
            <span className="legend__swatch" style={{ background: toCss(CLASS_FILLS[entry.valueClass]!) }} />
            {entry.from === entry.to ? t('legend.single', { value: entry.from }) : t('legend.range', { from: entry.from, to: entry.to })}
          </li>
        ))}
      </ul>
    </section>
  )
}
