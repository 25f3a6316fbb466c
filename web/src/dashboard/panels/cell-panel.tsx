/**
 * The selected grid cell: what it is (name, level, code), its figures, the cells below it, its
 * incident roll-ups and its open cases (the list comes in as `incidents`, kept live by the
 * caller), its Party organisation (counts over the subtree at the upper levels, the
 * organisations by name lower down), who is responsible for it (villager and household groups), and its children
 * ranked by the figure the map is coloured by. A child row opens that child; pointing at one
 * highlights it on the map.
 */
import { useMe } from '../../access/session.tsx'
import { evaluationHref, reportHref } from '../../evaluation/evaluation-api.ts'
import { defaultPeriod } from '../../report/report-api.ts'
import { readsEvaluation } from '../../routing/screen-paths.ts'
import type { TFunction } from 'i18next'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { GridCell } from '../../api/client.ts'
import { metricValue, type ChoroplethMetric } from '../../map/choropleth.ts'
import { classFill, toCss } from '../../map/palette.ts'
import { asGridLevel, LEVEL_GRID_KEYS, LEVEL_NAME_KEYS } from '../../i18n/levels.ts'
import { IncidentFigures } from './incident-section.tsx'

export interface CellPanelProps {
  cell: GridCell
  /** The next cell is loading; this one is shown meanwhile. */
  updating: boolean
  metric: ChoroplethMetric
  /** Choropleth class of each child by code, for the swatches (absent while it loads). */
  classOf: ReadonlyMap<string, number> | undefined
  /** Evaluation scores of the children by code (the score metric); a child without one is 无数据. */
  scores?: ReadonlyMap<string, number | null>
  emphasis: string | null
  onSelectChild: (code: string) => void
  onPointChild: (code: string | null) => void
  /** The open-case list of the cell (see IncidentList), shown under its incident figures. */
  incidents?: ReactNode
}

const PARTY_COUNTS = [
  ['partyCommittees', 'party.village_committee'],
  ['partyGeneralBranches', 'party.general_branch'],
  ['partyBranches', 'party.grid_branch'],
  ['partyGroups', 'party.party_group'],
] as const

export function CellPanel({ cell, updating, metric, classOf, scores, emphasis, onSelectChild, onPointChild, incidents }: CellPanelProps) {
  const me = useMe()
  const { t, i18n } = useTranslation()
  const format = new Intl.NumberFormat(i18n.resolvedLanguage)
  const level = asGridLevel(cell.level)
  const names = new Map([...cell.path, cell, ...cell.children].map((ref) => [ref.code, ref.name]))
  // Cells without a value (no score) come last, shown as 无数据, never as zero.
  const childValue = (child: GridCell['children'][number]) => metricValue({ ...child, score: scores?.get(child.code) ?? null }, metric)
  const ranked = [...cell.children].sort((a, b) => (childValue(b) ?? -Infinity) - (childValue(a) ?? -Infinity) || a.code.localeCompare(b.code))
  const top = (ranked[0] && childValue(ranked[0])) || 1
  const scoreFormat = new Intl.NumberFormat(i18n.resolvedLanguage, { minimumFractionDigits: 1, maximumFractionDigits: 1 })

  const figures = [
    { key: 'households', label: t('panel.households'), value: cell.stats.households },
    { key: 'population', label: t('panel.population'), value: cell.stats.population },
    { key: 'workers', label: t('panel.workers'), value: cell.stats.workers },
    { key: 'leaders', label: t('panel.leaders'), value: cell.stats.leaders },
  ]

  return (
    <aside className="panel cell-panel" aria-labelledby="cell-panel-name" aria-busy={updating}>
      <div className="cell-panel__header">
        <div className="panel__eyebrow">{t('panel.heading')}</div>
        <h2 id="cell-panel-name" className="cell-panel__name">
          {cell.name}
        </h2>
        <div className="cell-panel__meta">
          <span className="level-badge">{t(LEVEL_GRID_KEYS[level])}</span>
          <span className="cell-panel__level">{t(LEVEL_NAME_KEYS[level])}</span>
        </div>
        <div className="cell-panel__code">
          <span className="cell-panel__code-label">{t('panel.code')}</span>
          <code>{cell.code}</code>
        </div>
        {readsEvaluation(me) && (
          <div className="cell-panel__links">
            <a href={evaluationHref(cell.code, defaultPeriod())} data-testid="cell-panel-evaluation">
              {t('evaluation.nav')}
            </a>
            <a href={reportHref(cell.code, defaultPeriod())} data-testid="cell-panel-report">
              {t('evaluation.printReport')}
            </a>
          </div>
        )}
        {updating && (
          <div className="cell-panel__updating" role="status">
            {t('panel.updating')}
          </div>
        )}
      </div>

      <div className="cell-panel__body">
        <dl className="figures">
          {figures.map((figure) => (
            <div key={figure.key} className="figure">
              <dt className="figure__label">{figure.label}</dt>
              <dd className="figure__value">{format.format(figure.value)}</dd>
            </div>
          ))}
        </dl>

        {cell.incidents && (
          <section className="cell-panel__section" aria-labelledby="cell-panel-incident-figures">
            <h3 id="cell-panel-incident-figures" className="section-title">
              {t('incidents.heading')}
            </h3>
            <IncidentFigures rollup={cell.incidents} />
          </section>
        )}
        {incidents}

        {cell.descendantCounts.length > 0 && (
          <section className="cell-panel__section" aria-labelledby="cell-panel-below">
            <h3 id="cell-panel-below" className="section-title">
              {t('panel.below')}
            </h3>
            <dl className="counts">
              {cell.descendantCounts.map(({ level: below, count }) => (
                <div key={below} className="counts__item">
                  <dt>{descendantLabel(below, t)}</dt>
                  <dd>{format.format(count)}</dd>
                </div>
              ))}
            </dl>
          </section>
        )}

        <section className="cell-panel__section" aria-labelledby="cell-panel-party">
          <h3 id="cell-panel-party" className="section-title">
            {t('panel.party')}
          </h3>
          {level <= 3 && (
            <dl className="counts">
              {PARTY_COUNTS.map(([stat, label]) => (
                <div key={stat} className="counts__item">
                  <dt>{t(label)}</dt>
                  <dd>{format.format(cell.stats[stat])}</dd>
                </div>
              ))}
            </dl>
          )}
          {cell.party.length > 0 && (
            <ul className="party-list">
              {cell.party.map((org) => (
                <li key={`${org.kind}-${org.cellCode}-${org.name}`} className="party-list__item">
                  <span className="party-list__kind">{t(`party.${org.kind}`)}</span>
                  <span className="party-list__name">{org.name}</span>
                </li>
              ))}
            </ul>
          )}
        </section>

        {level >= 4 && (
          <section className="cell-panel__section" aria-labelledby="cell-panel-responsible">
            <h3 id="cell-panel-responsible" className="section-title">
              {t('panel.responsible')}
            </h3>
            {cell.responsible.length === 0 ? (
              <p className="cell-panel__note">{t('panel.responsibleNone')}</p>
            ) : (
              <ul className="people">
                {[...cell.responsible]
                  .sort((a, b) => (a.role === b.role ? a.cellCode.localeCompare(b.cellCode) : a.role === 'grid_leader' ? -1 : 1))
                  .map((person) => (
                    <li key={`${person.role}-${person.cellCode}-${person.phone}`} className="people__item">
                      <span className={`role-badge role-badge--${person.role}`}>{t(`roles.${person.role}`)}</span>
                      <span className="people__name">{person.name}</span>
                      {person.phone.includes('*') ? (
                        <span className="people__phone">{person.phone}</span>
                      ) : (
                        <a className="people__phone" href={`tel:${person.phone}`}>
                          {person.phone}
                        </a>
                      )}
                      <span className="people__cell">{names.get(person.cellCode) ?? person.cellCode}</span>
                    </li>
                  ))}
              </ul>
            )}
          </section>
        )}

        {ranked.length > 0 ? (
          <section className="cell-panel__section cell-panel__ranking" aria-labelledby="cell-panel-children">
            <h3 id="cell-panel-children" className="section-title">
              {t('panel.children')}
              <span className="section-title__aside">{t('panel.rankedBy', { metric: t(`metrics.${metric}`) })}</span>
            </h3>
            <ol className="ranking" onMouseLeave={() => onPointChild(null)}>
              {ranked.map((child, i) => {
                const valueClass = classOf?.get(child.code)
                const value = childValue(child)
                return (
                  <li key={child.code}>
                    <button
                      type="button"
                      className="ranking__row"
                      data-emphasis={emphasis === child.code || undefined}
                      onClick={() => onSelectChild(child.code)}
                      onMouseEnter={() => onPointChild(child.code)}
                      onFocus={() => onPointChild(child.code)}
                      onBlur={() => onPointChild(null)}
                    >
                      <span className="ranking__rank">{i + 1}</span>
                      <span className="ranking__swatch" style={{ background: valueClass === undefined ? 'transparent' : toCss(classFill(valueClass)) }} />
                      <span className="ranking__name">{child.name}</span>
                      <span className="ranking__value" data-no-data={value === null || undefined}>
                        {value === null ? t('legend.noData') : (metric === 'score' ? scoreFormat : format).format(value)}
                      </span>
                      <span className="ranking__bar" style={{ width: `${(100 * (value ?? 0)) / top}%` }} />
                    </button>
                  </li>
                )
              })}
            </ol>
          </section>
        ) : (
          level === 5 && <p className="cell-panel__note">{t('panel.leaf')}</p>
        )}
      </div>
    </aside>
  )
}

/** 镇（街道）and 村（社区）by their names, the group levels as 四级网格 / 五级网格 (as the district counts them). */
function descendantLabel(level: number, t: TFunction): string {
  const known = asGridLevel(level)
  return known <= 3 ? t(LEVEL_NAME_KEYS[known]) : t(LEVEL_GRID_KEYS[known])
}
