/**
 * The one place that decides what the map tooltip says about a grid cell: its name, its level,
 * then its households and population formatted for the current language (Intl, via i18next's
 * `number` format). Pure, so a unit test can call it without a browser.
 */
import type { TFunction } from 'i18next'
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

export function getCellTooltip(cell: CellSummary, t: TFunction): TooltipContent {
  return {
    title: cell.name,
    rows: [
      { label: t('tooltip.level'), value: t(LEVEL_NAME_KEYS[asGridLevel(cell.level)]) },
      { label: t('tooltip.households'), value: t('tooltip.householdsValue', { value: cell.households }) },
      { label: t('tooltip.population'), value: t('tooltip.populationValue', { value: cell.population }) },
    ],
  }
}
