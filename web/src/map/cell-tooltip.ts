/**
 * The one place that decides what the map tooltip says about a grid cell: its name, its level,
 * then its households and population formatted for the current language (Intl, via i18next's
 * `number` format). Pure, so a unit test can call it without a browser.
 */
import type { TFunction } from 'i18next'
import type { IndicatorKey } from '../../../server/evaluation/indicators.ts'
import { asGridLevel, LEVEL_NAME_KEYS } from '../i18n/levels.ts'

export interface TooltipContent {
  title: string
  rows: { label: string; value: string }[]
}

export interface CellSummary {
  name: string
  level: number
  households: number
  population: number
}

/** A compared cell's evaluation, when the map is coloured by score (GET /api/evaluation's row). */
export interface CellScore {
  score: number | null
  rank: number | null
  peers: number
  /** The indicator that lost the most points (an IndicatorKey), or null. */
  pulledDownBy: IndicatorKey | null
}

/**
 * With `score` (the map coloured by 考核得分): the name, the level, the score or 无数据 (never 0),
 * the rank among the cells of the same parent and the indicator that pulled it down most.
 */
export function getCellTooltip(cell: CellSummary, t: TFunction, score?: CellScore): TooltipContent {
  if (score) {
    return {
      title: cell.name,
      rows: [
        { label: t('tooltip.level'), value: t(LEVEL_NAME_KEYS[asGridLevel(cell.level)]) },
        { label: t('tooltip.score'), value: score.score === null ? t('tooltip.noScore') : score.score.toFixed(1) },
        { label: t('tooltip.rank'), value: score.rank === null ? '—' : t('tooltip.rankValue', { rank: score.rank, peers: score.peers }) },
        { label: t('tooltip.pulledDownBy'), value: score.pulledDownBy ? t(`report.indicators.${score.pulledDownBy}`) : '—' },
      ],
    }
  }
  return {
    title: cell.name,
    rows: [
      { label: t('tooltip.level'), value: t(LEVEL_NAME_KEYS[asGridLevel(cell.level)]) },
      { label: t('tooltip.households'), value: t('tooltip.householdsValue', { value: cell.households }) },
      { label: t('tooltip.population'), value: t('tooltip.populationValue', { value: cell.population }) },
    ],
  }
}
