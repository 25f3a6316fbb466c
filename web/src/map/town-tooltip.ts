/**
 * The one place that decides what the map tooltip says about a town: its name, then its
 * households and population formatted for the current language (Intl, via i18next's `number`
 * format). Pure, so a unit test can call it without a browser.
 */
import type { TFunction } from 'i18next'

export interface TooltipContent {
  title: string
  rows: { label: string; value: string }[]
}

export interface TownSummary {
  name: string
  households: number
  population: number
}

export function getTownTooltip(town: TownSummary, t: TFunction): TooltipContent {
  return {
    title: town.name,
    rows: [
      { label: t('tooltip.households'), value: t('tooltip.householdsValue', { value: town.households }) },
      { label: t('tooltip.population'), value: t('tooltip.populationValue', { value: town.population }) },
    ],
  }
}
