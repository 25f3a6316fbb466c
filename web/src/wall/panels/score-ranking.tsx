/**
 * The ranking panel's evaluation option (/wall?ranking=score): the towns (or, while the tour shows
 * a town, its villages) ranked by their evaluation score for the last complete month, with the
 * indicator each lost most on. A cell without data reads 无数据 and is listed last, never as 0.
 * Refreshed every ten minutes (scores move monthly; the weights may change).
 */
import { useQuery } from '@tanstack/react-query'
import { useTranslation } from 'react-i18next'
import { queryKeys } from '../../api/query-keys.ts'
import { fetchCells, type EvaluatedCell } from '../../evaluation/evaluation-api.ts'
import { defaultPeriod } from '../../report/report-api.ts'
import { RANKING_ROWS } from './town-ranking.tsx'
import './score-ranking.css'

const REFRESH_MS = 10 * 60_000

function ranked(cells: EvaluatedCell[]): EvaluatedCell[] {
  return [...cells].sort((a, b) => (a.score === null ? (b.score === null ? 0 : 1) : b.score === null ? -1 : b.score - a.score))
}

export function ScoreRanking({ town }: { town: string | null }) {
  const { t } = useTranslation()
  const period = defaultPeriod()
  const cells = useQuery({
    queryKey: queryKeys.evaluation.cells(town, period, null),
    queryFn: () => fetchCells(town, period, null),
    refetchInterval: REFRESH_MS,
  })
  const rows = ranked(cells.data?.cells ?? []).slice(0, RANKING_ROWS)
  return (
    <section className="wall-panel wall-ranking wall-score-ranking" data-testid="wall-score-ranking">
      <h2 className="wall-panel__title">{t(town ? 'evaluation.wallVillages' : 'evaluation.wallTowns', { period })}</h2>
      <table className="wall-ranking__table">
        <thead>
          <tr>
            <th className="wall-ranking__rank" />
            <th className="wall-ranking__name">{t('wall.rankingName')}</th>
            <th className="wall-score-ranking__score">{t('evaluation.score')}</th>
            <th className="wall-score-ranking__lost">{t('evaluation.pulledDownBy')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.code} data-code={row.code} data-score={row.score ?? 'none'}>
              <td className="wall-ranking__rank">{row.rank ?? '—'}</td>
              <td className="wall-ranking__name">{row.name}</td>
              <td className={`wall-score-ranking__score ${row.score === null ? 'wall-score-ranking__none' : 'wall-ranking__open'}`}>
                {row.score === null ? t('evaluation.noScore') : row.score.toFixed(1)}
              </td>
              <td className="wall-score-ranking__lost">{row.pulledDownBy ? t(`report.indicatorsShort.${row.pulledDownBy}`) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
