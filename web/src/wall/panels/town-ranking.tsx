/**
 * The cells one level down with the most open cases, with overdue and today's reports: the towns
 * of a district (or a town's villages), the counties of a city, the cities of a province. A
 * province wall ranks its counties too, each list at half the length.
 */
import { useTranslation } from 'react-i18next'
import { mapLabelOf } from '../../grid/labels.ts'
import type { WallSummary } from '../wall-api.ts'

export const RANKING_ROWS = 10

const TITLE_KEYS = {
  0: 'wall.rankingCities',
  1: 'wall.rankingCounties',
  2: 'wall.rankingTowns',
  3: 'wall.rankingVillages',
} as const

type RankingRows = WallSummary['ranking']['rows']

export function TownRanking({ ranking, counties }: { ranking: WallSummary['ranking'] | undefined; counties?: RankingRows | null }) {
  const { t } = useTranslation()
  const rows = counties ? RANKING_ROWS / 2 : RANKING_ROWS
  const level = ranking?.level ?? 2
  return (
    <section className="wall-panel wall-ranking">
      <h2 className="wall-panel__title">{t(TITLE_KEYS[level as keyof typeof TITLE_KEYS] ?? TITLE_KEYS[2])}</h2>
      <RankingTable rows={ranking?.rows.slice(0, rows) ?? []} level={level} />
      {counties && (
        <>
          <h2 className="wall-panel__title wall-ranking__second">{t(TITLE_KEYS[1])}</h2>
          <RankingTable rows={counties.slice(0, rows)} level={1} />
        </>
      )}
    </section>
  )
}

function RankingTable({ rows, level }: { rows: RankingRows; level: number }) {
  const { t } = useTranslation()
  return (
    <table className="wall-ranking__table" data-level={level}>
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
              {mapLabelOf(row.name, level)}
            </td>
            <td className="wall-ranking__open">{row.open}</td>
            <td className={row.overdue > 0 ? 'wall-ranking__overdue' : undefined}>{row.overdue}</td>
            <td>{row.reportsToday}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
