/**
 * The layer control over the map: each layer's switch, its place in the stack (up/down) and its
 * legend while shown. Listed top layer first, as drawn. The heatmap can weigh by severity; the
 * bins' legend gives the counts their colours span; the choropleth's, its rate classes.
 */
import { useTranslation } from 'react-i18next'
import type { LegendEntry } from '../map/choropleth.ts'
import { toCss } from '../map/palette.ts'
import type { CategoryNode } from '../api/client.ts'
import { BIN_COLORS, HEAT_COLORS, RATE_FILLS, rgbCss } from './layers/layer-colors.ts'
import type { AnalystLayerId } from './layers/analyst-layers.ts'
import type { LayerEntry } from './layer-stack.ts'

export interface LayerPanelProps {
  stack: readonly LayerEntry[]
  onToggle: (id: AnalystLayerId) => void
  onMove: (id: AnalystLayerId, direction: 'up' | 'down') => void
  weighted: boolean
  onWeighted: (weighted: boolean) => void
  pointCount: number
  binDomain: [number, number] | null
  rateLegend: LegendEntry[]
  /** Level of the choropleth's cells, for its caption. */
  cellLevelName: string
  categories: readonly CategoryNode[] | undefined
}

const gradient = (colors: readonly (readonly number[])[]) => `linear-gradient(90deg, ${colors.map(rgbCss).join(', ')})`

export function LayerPanel(props: LayerPanelProps) {
  const { stack, onToggle, onMove, weighted, onWeighted, pointCount, binDomain, rateLegend, cellLevelName, categories } = props
  const { t, i18n } = useTranslation()
  const english = i18n.resolvedLanguage?.startsWith('en')
  const topFirst = [...stack].reverse()

  const legendOf = (id: AnalystLayerId) => {
    switch (id) {
      case 'heatmap':
        return (
          <>
            <div className="ramp" style={{ background: gradient(HEAT_COLORS) }} />
            <div className="ramp__ends">
              <span>{t('analyst.legend.fewer')}</span>
              <span>{t('analyst.legend.more')}</span>
            </div>
            <label className="check check--small">
              <input type="checkbox" checked={weighted} onChange={(e) => onWeighted(e.target.checked)} />
              {t('analyst.layers.weighted')}
            </label>
          </>
        )
      case 'bins':
        return (
          <>
            <div className="ramp" style={{ background: gradient(BIN_COLORS) }} />
            <div className="ramp__ends">
              <span>{binDomain ? binDomain[0].toLocaleString() : ''}</span>
              <span>{binDomain ? t('analyst.legend.perBin', { count: binDomain[1] }) : ''}</span>
            </div>
          </>
        )
      case 'choropleth':
        return (
          <>
            <div className="legend-caption">{t('analyst.legend.rate', { level: cellLevelName })}</div>
            <ul className="legend__items">
              {[...rateLegend].reverse().map((entry) => (
                <li key={entry.valueClass} className="legend__item">
                  <span className="legend__swatch" style={{ background: toCss(RATE_FILLS[entry.valueClass]!) }} />
                  {entry.from === entry.to ? entry.from.toFixed(1) : `${entry.from.toFixed(1)} – ${entry.to.toFixed(1)}`}
                </li>
              ))}
            </ul>
          </>
        )
      case 'points':
        return (
          <ul className="legend__items legend__items--inline">
            {categories?.map((family) => (
              <li key={family.code} className="legend__item">
                <span className="legend__swatch legend__swatch--dot" style={{ background: family.color }} />
                {english ? family.nameEn : family.nameZh}
              </li>
            ))}
          </ul>
        )
    }
  }

  return (
    <section className="panel layer-panel" aria-label={t('analyst.layers.heading')}>
      <div className="panel__eyebrow">{t('analyst.layers.heading')}</div>
      <div className="layer-panel__count" data-points={pointCount}>
        {t('analyst.layers.loaded', { count: pointCount })}
      </div>
      <ol className="layer-panel__list">
        {topFirst.map((entry, i) => (
          <li key={entry.id} className="layer-panel__item" data-layer={entry.id} data-visible={entry.visible}>
            <div className="layer-panel__row">
              <label className="check">
                <input type="checkbox" name={`layer-${entry.id}`} checked={entry.visible} onChange={() => onToggle(entry.id)} />
                {t(`analyst.layers.${entry.id}`)}
              </label>
              <span className="layer-panel__order">
                <button type="button" aria-label={t('analyst.layers.up')} disabled={i === 0} onClick={() => onMove(entry.id, 'up')}>
                  ▲
                </button>
                <button type="button" aria-label={t('analyst.layers.down')} disabled={i === topFirst.length - 1} onClick={() => onMove(entry.id, 'down')}>
                  ▼
                </button>
              </span>
            </div>
            {entry.visible && <div className="layer-panel__legend">{legendOf(entry.id)}</div>}
          </li>
        ))}
      </ol>
    </section>
  )
}
