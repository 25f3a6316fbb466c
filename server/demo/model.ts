/**
 * The shared model of "what gets reported where and when" behind the demo incidents: the 12-month
 * history (history.ts) and the live simulator (simulator.ts) draw from it, so
 * both look alike on the map. It knows the relative share of every subcategory, how each one
 * leans towards urban places (电海街道 and the town centres) or away from them, its seasonal and
 * weekly rhythm (typhoon season, flu season, the Spring Festival bump of wage and family
 * disputes), the hour-of-day curve, and how to make a plausible report: a point strictly inside a
 * level-5 cell, a title and description naming the place, a synthetic reporter and parties.
 * Pure: every random choice comes from the `random` function passed in. The people are
 * fictitious; any match with a real person, phone or ID number is a coincidence.
 */
import { gridPerson, mobilePhone, personName } from '../../data/generate/people.ts'
import { villageShortName } from '../../data/generate/naming.ts'
import type { AssigneeChoice } from '../incidents/assignee.ts'

export type Random = () => number

/** A grid cell as data/generate makes it (GridCell); geometry is needed for level 5 only. */
export interface IncidentCell {
  code: string
  level: number
  name: string
  households: number
  labelPoint: [number, number]
  geometry?: { type: 'MultiPolygon'; coordinates: number[][][][] }
}

/** A category as in categories.json, readCategories() (flat, parentCode) or categoryTree() (nested). */
export interface CategoryInput {
  code: string
  parentCode?: string | null
  nameZh: string
  nameEn?: string
  color?: string
  defaultSeverity?: number
  dueHours?: number[]
  children?: CategoryInput[]
}
export type CategoryTree = readonly CategoryInput[] | { categories: readonly CategoryInput[] }

/** A subcategory with what it inherits from its parent resolved. */
export interface ResolvedCategory {
  code: string
  parentCode: string
  nameZh: string
  color: string
  defaultSeverity: number
  dueHours: number[]
}

export type Source = 'patrol' | 'resident' | 'hotline' | 'referral'

export interface Party {
  name: string
  phone: string
  idNumber: string
}

/** Everything about a new report except its timing and workflow. */
export interface IncidentDraft {
  category: string
  severity: number
  title: string
  description: string
  source: Source
  reporter: string
  location: { lon: number; lat: number }
  gridCode: string
  parties: Party[]
}

/** Subcategories the model was tuned for; others found in the tree get a small generic share. */
const PROFILES: Record<string, { share: number; urban: number; hours?: 'day' | 'evening' | 'flat' }> = {
  'dispute.neighbour': { share: 80, urban: 2.5, hours: 'evening' },
  'dispute.land': { share: 35, urban: -0.6 },
  'dispute.family': { share: 45, urban: 2.5, hours: 'evening' },
  'dispute.labour': { share: 30, urban: 8 },
  'dispute.demolition': { share: 14, urban: 5 },
  'hazard.power': { share: 28, urban: 0 },
  'hazard.rental_fire': { share: 32, urban: 4 },
  'hazard.traffic': { share: 30, urban: 1, hours: 'flat' },
  'hazard.dangerous_house': { share: 18, urban: -0.3 },
  'order.nuisance': { share: 38, urban: 3, hours: 'evening' },
  'order.theft': { share: 30, urban: 3, hours: 'evening' },
  'environment.garbage': { share: 110, urban: 0.5 },
  'environment.sewage': { share: 50, urban: 0.3 },
  'environment.illegal_building': { share: 45, urban: 2 },
  'environment.street_vending': { share: 50, urban: 5 },
  'epidemic.report': { share: 28, urban: 1 },
  'missing.person': { share: 3.5, urban: 1, hours: 'flat' },
  'livelihood.water': { share: 70, urban: 0.3 },
  'livelihood.road': { share: 90, urban: 0 },
  'livelihood.dead_end_road': { share: 35, urban: -0.6 },
  'anti_fraud.outreach': { share: 85, urban: 1 },
}
const GENERIC_PROFILE = { share: 10, urban: 0, hours: 'day' as const }

/** Relative reports per local hour 0..23. */
const HOURS: Record<'day' | 'evening' | 'flat', number[]> = {
  day: [0.12, 0.08, 0.06, 0.05, 0.06, 0.12, 0.3, 0.65, 1.2, 1.65, 1.75, 1.5, 0.85, 0.85, 1.4, 1.6, 1.5, 1.15, 0.8, 0.7, 0.55, 0.4, 0.25, 0.17],
  evening: [0.3, 0.18, 0.1, 0.06, 0.05, 0.08, 0.2, 0.45, 0.9, 1.2, 1.25, 1.1, 0.85, 0.8, 1.0, 1.1, 1.1, 1.1, 1.2, 1.45, 1.5, 1.3, 0.9, 0.55],
  flat: [0.45, 0.35, 0.3, 0.3, 0.35, 0.5, 0.75, 1.0, 1.2, 1.2, 1.2, 1.15, 1.05, 1.05, 1.15, 1.2, 1.25, 1.3, 1.35, 1.3, 1.15, 0.95, 0.75, 0.55],
}

/** 春节 (lunar new year's day) by year; years outside the table fall back to 5 February. */
const SPRING_FESTIVAL: Record<number, string> = {
  2020: '01-25',
  2021: '02-12',
  2022: '02-01',
  2023: '01-22',
  2024: '02-10',
  2025: '01-29',
  2026: '02-17',
  2027: '02-06',
  2028: '01-26',
  2029: '02-13',
  2030: '02-03',
  2031: '01-23',
  2032: '02-11',
  2033: '01-31',
  2034: '02-19',
  2035: '02-08',
}
const DAY = 86_400_000
const HOUR = 3_600_000
/** China Standard Time has no daylight saving: local = UTC + 8 h. */
const CST = 8 * HOUR

function springFestival(year: number): number {
  return Date.parse(`${year}-${SPRING_FESTIVAL[year] ?? '02-05'}T00:00:00+08:00`)
}

/** Days from the nearest Spring Festival (negative before it). */
function daysFromSpringFestival(t: number): number {
  const year = new Date(t + CST).getUTCFullYear()
  let best = Infinity
  for (const y of [year - 1, year, year + 1]) {
    const d = (t - springFestival(y)) / DAY
    if (Math.abs(d) < Math.abs(best)) best = d
  }
  return best
}

const bump = (x: number, centre: number, width: number) => Math.exp(-(((x - centre) / width) ** 2))

/** How much more (or less) a subcategory is reported on the local day containing `t`. */
export function dayFactor(code: string, t: number): number {
  const local = new Date(t + CST)
  const month = local.getUTCMonth() + 1
  const weekday = local.getUTCDay()
  const weekend = weekday === 0 || weekday === 6
  const sf = daysFromSpringFestival(t)
  const summer = month >= 6 && month <= 9 ? 1 : 0
  const winter = month === 12 || month <= 2 ? 1 : 0
  let season = 1
  switch (code) {
    case 'dispute.family':
      season = 1 + 1.8 * bump(sf, 5, 14)
      break
    case 'dispute.labour':
      season = 1 + 2.6 * bump(sf, -18, 16)
      break
    case 'dispute.neighbour':
      season = 1 + 0.5 * bump(sf, 3, 10)
      break
    case 'dispute.land':
      season = 1 + (month === 3 || month === 4 ? 0.4 : 0)
      break
    case 'hazard.power':
    case 'hazard.dangerous_house':
      season = 1 + 0.9 * summer
      break
    case 'hazard.rental_fire':
      season = 1 + 0.4 * winter
      break
    case 'hazard.traffic':
      season = 1 + 0.6 * bump(sf, 0, 12)
      break
    case 'environment.garbage':
      season = 1 + 0.4 * summer + 0.6 * bump(sf, 3, 10)
      break
    case 'environment.sewage':
      season = 1 + 0.5 * summer
      break
    case 'livelihood.water':
      season = 1 + (month >= 7 && month <= 9 ? 0.6 : 0)
      break
    case 'livelihood.road':
      season = 1 + 0.4 * summer
      break
    case 'epidemic.report':
      season = 1 + (month === 12 || month <= 3 ? 1 : 0) + (month >= 7 && month <= 10 ? 0.6 : 0)
      break
    case 'missing.person':
      season = 1 + 0.5 * bump(sf, 0, 10) + (month === 7 || month === 8 ? 0.3 : 0)
      break
  }
  const week = code === 'anti_fraud.outreach' ? (weekend ? 0.35 : 1.15) : weekday === 0 ? 0.75 : weekday === 6 ? 0.85 : 1.05
  return season * week
}

export function resolveCategories(tree: CategoryTree): ResolvedCategory[] {
  const roots = Array.isArray(tree) ? tree : (tree as { categories: readonly CategoryInput[] }).categories
  const all = new Map<string, CategoryInput>()
  const parentOf = new Map<string, string>()
  const visit = (node: CategoryInput, parent: string | null) => {
    all.set(node.code, node)
    const p = node.parentCode ?? parent
    if (p) parentOf.set(node.code, p)
    for (const child of node.children ?? []) visit(child, node.code)
  }
  for (const node of roots) visit(node, null)
  const result: ResolvedCategory[] = []
  for (const node of all.values()) {
    const parentCode = parentOf.get(node.code)
    if (!parentCode) continue
    const parent = all.get(parentCode)
    result.push({
      code: node.code,
      parentCode,
      nameZh: node.nameZh,
      color: node.color ?? parent?.color ?? '#888888',
      defaultSeverity: node.defaultSeverity ?? parent?.defaultSeverity ?? 2,
      dueHours: node.dueHours ?? parent?.dueHours ?? [168, 72, 24, 8],
    })
  }
  return result.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
}

/** Cumulative weights and a binary search: pick index i with probability w[i] / Σw. */
export class WeightedPicker {
  private readonly cumulative: Float64Array
  constructor(weights: ArrayLike<number>) {
    this.cumulative = new Float64Array(weights.length)
    let sum = 0
    for (let i = 0; i < weights.length; i++) {
      sum += Math.max(0, weights[i]!)
      this.cumulative[i] = sum
    }
    if (!(sum > 0)) throw new Error('WeightedPicker: all weights are zero')
  }
  get total(): number {
    return this.cumulative[this.cumulative.length - 1]!
  }
  pick(random: Random): number {
    const target = random() * this.total
    let lo = 0
    let hi = this.cumulative.length - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (this.cumulative[mid]! > target) hi = mid
      else lo = mid + 1
    }
    return lo
  }
}

export function gaussian(random: Random): number {
  const u = 1 - random()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
}

/** A lognormal delay with the given median and spread. */
export function lognormal(random: Random, median: number, sigma: number): number {
  return median * Math.exp(sigma * gaussian(random))
}

// ---------------------------------------------------------------------------------------------
// Places

export interface ModelOptions {
  /** The level-2 code whose urban villages and industrial parks concentrate disputes (电海街道). */
  hotspotTown?: string
  /** Village cells per town, nearest its label point, that count as the town centre. */
  centreVillages?: number
}

interface Place {
  cell: IncidentCell
  rings: number[][][]
  bbox: [number, number, number, number]
  /** 0 rural … 1.3 an urban village of the hotspot town. */
  urban: number
  /** "蓝田坡村第3村民小组" */
  placeName: string
  villageName: string
  townName: string
}

export class IncidentModel {
  readonly categories: ResolvedCategory[]
  readonly categoryByCode: Map<string, ResolvedCategory>
  readonly places: Place[]
  readonly countyCode: string
  private readonly pickers = new Map<number, WeightedPicker>()

  constructor(cells: readonly IncidentCell[], tree: CategoryTree, options: ModelOptions = {}) {
    this.categories = resolveCategories(tree)
    if (this.categories.length === 0) throw new Error('The category tree has no subcategories.')
    this.categoryByCode = new Map(this.categories.map((c) => [c.code, c]))
    const sorted = [...cells].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0))
    const byCode = new Map(sorted.map((c) => [c.code, c]))
    const hotspot = options.hotspotTown ?? '440904004'
    const centres = new Set<string>()
    const towns = sorted.filter((c) => c.level === 2)
    const villages = sorted.filter((c) => c.level === 3)
    for (const town of towns) {
      const own = villages.filter((v) => v.code.startsWith(town.code))
      const d = (v: IncidentCell) => (v.labelPoint[0] - town.labelPoint[0]) ** 2 + (v.labelPoint[1] - town.labelPoint[1]) ** 2
      own.sort((a, b) => d(a) - d(b) || (a.code < b.code ? -1 : 1))
      for (const v of own.slice(0, options.centreVillages ?? 2)) centres.add(v.code)
    }
    this.places = []
    for (const cell of sorted) {
      if (cell.level !== 5) continue
      if (!cell.geometry) throw new Error(`Level-5 cell ${cell.code} has no geometry.`)
      const village = byCode.get(cell.code.slice(0, 12))
      const group = byCode.get(cell.code.slice(0, 15))
      const town = byCode.get(cell.code.slice(0, 9))
      const villageName = village?.name ?? ''
      const rural = /村委会|村民委员会/.test(villageName)
      const urban = cell.code.startsWith(hotspot) ? (rural ? 1.3 : 1) : centres.has(cell.code.slice(0, 12)) ? 0.7 : 0
      const rings = cell.geometry.coordinates.flat()
      let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity]
      for (const ring of rings)
        for (const [x, y] of ring) {
          w = Math.min(w, x!)
          e = Math.max(e, x!)
          s = Math.min(s, y!)
          n = Math.max(n, y!)
        }
      this.places.push({
        cell,
        rings,
        bbox: [w, s, e, n],
        urban,
        placeName: villageShortName(villageName) + (group?.name ?? ''),
        villageName: villageShortName(villageName),
        townName: town?.name ?? '',
      })
    }
    if (this.places.length === 0) throw new Error('No level-5 cells to place incidents in.')
    this.countyCode = this.places[0]!.cell.code.slice(0, 6)
  }

  profile(code: string) {
    return PROFILES[code] ?? GENERIC_PROFILE
  }

  /** Relative reports of a subcategory on the day containing `t` (share × season × weekday). */
  rate(code: string, t: number): number {
    return this.profile(code).share * dayFactor(code, t)
  }

  /** A subcategory for a report made at `t`. */
  pickCategory(random: Random, t: number): ResolvedCategory {
    const weights = this.categories.map((c) => this.rate(c.code, t))
    return this.categories[new WeightedPicker(weights).pick(random)]!
  }

  /** A local hour of day (0..23) for a report of this subcategory. */
  hourPicker(code: string): WeightedPicker {
    return hourPickers[this.profile(code).hours ?? 'day']
  }

  pickPlace(random: Random, code: string): Place {
    const urban = this.profile(code).urban
    let picker = this.pickers.get(urban)
    if (!picker) {
      picker = new WeightedPicker(this.places.map((p) => Math.max(1, p.cell.households) * Math.max(0.05, 1 + urban * p.urban)))
      this.pickers.set(urban, picker)
    }
    return this.places[picker.pick(random)]!
  }

  /** A point strictly inside the cell (at least ~0.2 m from its edges) on the 1e-7° lattice. */
  pointIn(random: Random, place: Place): [number, number] {
    const [w, s, e, n] = place.bbox
    const margin = 2e-6
    for (let attempt = 0; attempt < 500; attempt++) {
      const x = Math.round((w + (e - w) * random()) * 1e7) / 1e7
      const y = Math.round((s + (n - s) * random()) * 1e7) / 1e7
      if (insideWithMargin(place.rings, x, y, margin)) return [x, y]
    }
    const [x, y] = place.cell.labelPoint
    if (insideWithMargin(place.rings, x, y, margin)) return [x, y]
    throw new Error(`Could not place a point inside cell ${place.cell.code}.`)
  }

  severity(random: Random, category: ResolvedCategory): number {
    const d = category.defaultSeverity
    const r = random()
    const s = d >= 4 ? (r < 0.85 ? 4 : 3) : r < 0.72 ? d : r < 0.84 ? d - 1 : r < 0.97 ? d + 1 : d + 2
    return Math.min(4, Math.max(1, s))
  }

  source(random: Random, code: string): Source {
    const r = random()
    if (code === 'missing.person') return r < 0.5 ? 'resident' : r < 0.85 ? 'hotline' : 'referral'
    if (code === 'anti_fraud.outreach') return r < 0.92 ? 'patrol' : 'referral'
    if (code.startsWith('livelihood.')) return r < 0.4 ? 'patrol' : r < 0.65 ? 'resident' : r < 0.92 ? 'hotline' : 'referral'
    return r < 0.58 ? 'patrol' : r < 0.78 ? 'resident' : r < 0.92 ? 'hotline' : 'referral'
  }

  /** A whole report for subcategory `category`, made at `t` (epoch ms). */
  draft(random: Random, category: ResolvedCategory, t: number): IncidentDraft {
    const place = this.pickPlace(random, category.code)
    const [lon, lat] = this.pointIn(random, place)
    const severity = this.severity(random, category)
    const source = this.source(random, category.code)
    const reporter = source === 'patrol' ? gridPerson(place.cell.code, 'grid_worker').fullName : personName(random)
    const parties: Party[] = []
    if (category.code.startsWith('dispute.')) {
      const count = random() < 0.7 ? 2 : 1
      for (let i = 0; i < count; i++) parties.push(syntheticParty(random, this.countyCode, t))
    } else if (category.code === 'missing.person') {
      parties.push(syntheticParty(random, this.countyCode, t))
    }
    const text = describe(random, category, place, parties, t)
    return {
      category: category.code,
      severity,
      title: text.title,
      description: text.description,
      source,
      reporter,
      location: { lon, lat },
      gridCode: place.cell.code,
      parties,
    }
  }
}

const hourPickers = {
  day: new WeightedPicker(HOURS.day),
  evening: new WeightedPicker(HOURS.evening),
  flat: new WeightedPicker(HOURS.flat),
}

function insideWithMargin(rings: number[][][], x: number, y: number, margin: number): boolean {
  let inside = false
  let best = Infinity
  for (const ring of rings) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const xi = ring[i]![0]!,
        yi = ring[i]![1]!,
        xj = ring[j]![0]!,
        yj = ring[j]![1]!
      if (yi > y !== yj > y && x < xi + ((y - yi) / (yj - yi)) * (xj - xi)) inside = !inside
      const dx = xi - xj,
        dy = yi - yj
      const len2 = dx * dx + dy * dy
      let t = len2 === 0 ? 0 : ((x - xj) * dx + (y - yj) * dy) / len2
      t = Math.min(1, Math.max(0, t))
      const qx = xj + t * dx - x,
        qy = yj + t * dy - y
      best = Math.min(best, qx * qx + qy * qy)
    }
  }
  return inside && best >= margin * margin
}

// ---------------------------------------------------------------------------------------------
// People and words

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!

/** A synthetic 18-character resident ID number (GB 11643) with a valid ISO 7064 MOD 11-2 check character. */
export function idNumber(random: Random, areaCode: string, t: number): string {
  const year = new Date(t).getUTCFullYear() - 18 - Math.floor(random() * 60)
  const birth = new Date(Date.UTC(year, 0, 1) + Math.floor(random() * 365) * DAY)
  const yyyymmdd = birth.toISOString().slice(0, 10).replaceAll('-', '')
  const body = areaCode.slice(0, 6) + yyyymmdd + String(Math.floor(random() * 1000)).padStart(3, '0')
  return body + idCheckCharacter(body)
}

export function idCheckCharacter(body17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(body17[i]) * weights[i]!
  return '10X98765432'[sum % 11]!
}

function syntheticParty(random: Random, areaCode: string, t: number): Party {
  return { name: personName(random), phone: mobilePhone(random), idNumber: idNumber(random, areaCode, t) }
}

const TITLES: Record<string, string[]> = {
  'dispute.neighbour': [
    '{p}两户村民因宅基地滴水边界发生争执',
    '{p}邻里因排水沟堵塞引发纠纷',
    '{p}邻里因噪音扰民发生口角',
    '{p}两户因通行道路使用发生纠纷',
    '{p}邻里因饲养家禽影响卫生产生矛盾',
  ],
  'dispute.land': ['{p}村民因责任田边界发生争议', '{p}两户因山林权属发生纠纷', '{p}村民因果园地界发生争执', '{p}因承包鱼塘到期续租产生纠纷'],
  'dispute.family': ['{p}一对夫妻因家庭琐事发生争吵', '{p}兄弟因赡养老人问题产生矛盾', '{p}家庭成员因分家析产发生纠纷', '{p}夫妻因子女抚养问题发生纠纷'],
  'dispute.labour': ['{p}十余名务工人员反映被拖欠工资', '{p}工地务工人员追讨劳务费', '{p}厂区员工因加班费结算发生劳资纠纷', '{p}装修工人反映工程款未结清'],
  'dispute.demolition': ['{p}村民对征地补偿标准有异议', '{p}住户对拆迁安置方案提出诉求', '{p}村民因青苗补偿款分配产生纠纷'],
  'hazard.power': ['{p}电线杆倾斜存在倒伏风险', '{p}低压线路老化裸露', '{p}树木触碰高压线存在安全隐患'],
  'hazard.rental_fire': ['{p}出租屋楼道堆放杂物堵塞消防通道', '{p}出租屋电动车室内充电', '{p}出租屋私拉乱接电线', '{p}出租屋灭火器过期未更换'],
  'hazard.traffic': ['{p}路口缺少减速标志', '{p}道路塌陷存在交通安全隐患', '{p}学校门口路段车辆乱停放', '{p}路灯损坏夜间照明不足'],
  'hazard.dangerous_house': ['{p}一处老旧泥砖房墙体开裂', '{p}危房有人居住需要转移', '{p}闲置房屋屋顶坍塌'],
  'order.nuisance': ['{p}夜间聚集喧哗扰民', '{p}有人在公共场所酗酒滋事', '{p}广场舞音响音量过大扰民'],
  'order.theft': ['{p}村民反映电动车被盗', '{p}发现可疑人员夜间徘徊', '{p}商铺反映货物被盗线索'],
  'environment.garbage': ['{p}路边垃圾堆积未及时清运', '{p}河道漂浮垃圾较多', '{p}垃圾收集点满溢', '{p}空地建筑垃圾乱倒'],
  'environment.sewage': ['{p}生活污水直排水沟', '{p}养殖场污水外溢', '{p}排污管道破损污水外流'],
  'environment.illegal_building': ['{p}发现未经审批新建房屋', '{p}住户违规加建楼层', '{p}占用农田搭建棚房'],
  'environment.street_vending': ['{p}路边占道经营影响通行', '{p}流动摊贩聚集乱摆卖', '{p}店铺出店经营占用人行道'],
  'epidemic.report': ['{p}发现发热人员需跟进', '{p}积水容器滋生蚊虫需清理', '{p}外地返乡人员健康登记'],
  'missing.person': ['{p}一名老人走失未归', '{p}一名儿童放学后未回家', '{p}一名智力障碍人员走失'],
  'livelihood.water': ['{p}自来水停水超过一天', '{p}自来水水质浑浊', '{p}供水管道爆裂'],
  'livelihood.road': ['{p}村道路面破损坑洼', '{p}水泥路面断裂', '{p}雨后道路积水严重'],
  'livelihood.dead_end_road': ['{p}村民反映断头路出行不便', '{p}两村之间道路未贯通', '{p}断头路影响农产品运输'],
  'anti_fraud.outreach': ['{p}入户开展反诈宣传', '{p}协助推广国家反诈中心APP', '{p}劝阻一起疑似电信诈骗转账'],
}

function describe(random: Random, category: ResolvedCategory, place: Place, parties: Party[], t: number): { title: string; description: string } {
  const templates = TITLES[category.code] ?? [`{p}${category.nameZh}`]
  const title = pick(random, templates).replace('{p}', place.placeName)
  const local = new Date(t + CST)
  const when = `${local.getUTCMonth() + 1}月${local.getUTCDate()}日${local.getUTCHours()}时许`
  // The parties are in the parties list (masked wherever served), not repeated in free text.
  const who = parties.length ? `，当事人${parties.length}人` : ''
  const description = `${when}，${place.townName}${place.placeName}${category.nameZh}：${title.slice(place.placeName.length)}${who}。`
  return { title, description }
}

/** Share of dispatches that go to a department when one takes the case's category. */
const DEPARTMENT_SHARE = 0.3

/**
 * Whom a dispatch names, as a command centre chooses (the live simulator and the history alike):
 * a person of the handling cell, or now and then a department that takes the category; undefined
 * when nobody can take it. `candidates` as dispatchCandidates (server/incidents/assignee.ts) lists them.
 */
export function chooseAssignee(random: Random, candidates: readonly { kind: 'person' | 'department'; id: number }[]): AssigneeChoice | undefined {
  const people = candidates.filter((c) => c.kind === 'person')
  const departments = candidates.filter((c) => c.kind === 'department')
  const pool = departments.length > 0 && (people.length === 0 || random() < DEPARTMENT_SHARE) ? departments : people
  const pick = pool[Math.floor(random() * pool.length)]
  if (!pick) return undefined
  return pick.kind === 'person' ? { person: pick.id } : { department: pick.id }
}
