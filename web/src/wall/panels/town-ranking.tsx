/** The towns (or a town's villages) with the most open cases, with overdue and today's reports. */
import { useTranslation } from 'react-i18next'
import { mapLabelOf } from '../../grid/labels.ts'
import type { WallSummary } from '../wall-api.ts'

export const RANKING_ROWS = 10

export function TownRanking({ ranking }: { ranking: WallSummary['ranking'] | undefined }) {
  const { t } = useTranslation()
  const rows = ranking?.rows.slice(0, RANKING_ROWS) ?? []
  return (
    <section className="wall-panel wall-ranking">
      <h2 className="wall-panel__title">{ranking?.level === 3 ? t('wall.rankingVillages') : t('wall.rankingTowns')}</h2>
      <table className="wall-ranking__table">
        <thead>
          <tr>
            <th className="wall-ranking__rank" />
            <th className="wall-ranking__name">{t('wall.rankingName')}</th>
            <th>{t('wall.rankingOpen')}</th>
            <th>{t('wall.rankingOverdue')}</th>
            <th>{t('wall.rankingToday')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={row.code} data-code={row.code}>
              <td className="wall-ranking__rank">{i + 1}</td>
              {/* Villages by their short names (电海社区居民委员会 → 电海社区), as on the map. */}
              <td className="wall-ranking__name" title={row.name}>
                {mapLabelOf(row.name, ranking?.level ?? 2)}
              </td>
              <td className="wall-ranking__open">{row.open}</td>
              <td className={row.overdue > 0 ? 'wall-ranking__overdue' : undefined}>{row.overdue}</td>
              <td>{row.reportsToday}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
