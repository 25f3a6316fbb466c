/**
 * The map's colour key and the choice of the figure it colours by (households, population, an
 * incident figure, or the evaluation score of the last full month, cells without one keyed 无数据). The classes are those of the cells on the map, so the ranges change
 * with every level.
 */
import { useTranslation } from 'react-i18next'
import type { ChoroplethMetric, LegendEntry } from '../../map/choropleth.ts'
import { CLASS_FILLS, NO_DATA_FILL, toCss } from '../../map/palette.ts'
import { asGridLevel, LEVEL_NAME_KEYS } from '../../i18n/levels.ts'

export interface ChoroplethLegendProps {
  /** The figures offered (the score only to those who read the evaluation). */
  metrics: readonly ChoroplethMetric[]
  metric: ChoroplethMetric
  onMetric: (metric: ChoroplethMetric) => void
  legend: LegendEntry[]
  /** Level and number of the cells coloured. */
  level: number
  count: number
  /** Cells without a value (no score), drawn grey and keyed as 无数据. */
  noData: number
  /** For the score: the month it is of, and whether it is still loading. */
  scorePeriod?: string
  loading?: boolean
}

export function ChoroplethLegend({ metrics, metric, onMetric, legend, level, count, noData, scorePeriod, loading }: ChoroplethLegendProps) {
  const { t } = useTranslation()
  return (
    <section className="panel legend-card" aria-labelledby="legend-heading">
      <div id="legend-heading" className="panel__eyebrow">
        {t('legend.heading')}
      </div>
      <div className="segmented" role="radiogroup" aria-label={t('legend.metric')}>
        {metrics.map((option) => (
          <button key={option} type="button" role="radio" aria-checked={metric === option} className="segmented__option" onClick={() => onMetric(option)}>
            {t(`metricsShort.${option}`)}
          </button>
        ))}
      </div>
      <div className="legend-card__cells">{t('legend.cells', { count, level: t(LEVEL_NAME_KEYS[asGridLevel(level)]) })}</div>
      {metric === 'score' && scorePeriod && <div className="legend-card__cells">{t('legend.scorePeriod', { period: scorePeriod })}</div>}
      {loading && (
        <div className="legend-card__cells" role="status">
          {t('legend.loading')}
        </div>
      )}
      <ul className="legend__items">
        {[...legend].reverse().map((entry) => (
          <li key={entry.valueClass} className="legend__item">
            <span className="legend__swatch" style={{ background: toCss(CLASS_FILLS[entry.valueClass]!) }} />
            {entry.from === entry.to ? t('legend.single', { value: entry.from }) : t('legend.range', { from: entry.from, to: entry.to })}
          </li>
        ))}
        {!loading && noData > 0 && (
          <li className="legend__item legend__item--no-data" data-testid="legend-no-data">
            <span className="legend__swatch" style={{ background: toCss(NO_DATA_FILL) }} />
            {t('legend.noData')} · {noData}
          </li>
        )}
      </ul>
    </section>
  )
}
