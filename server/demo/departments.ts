/**
 * The demo's departments (职能部门) with fictitious duty-desk numbers: the district bureaus for
 * the whole district (between them every category, so a case handled at a town or village can
 * always be dispatched to one) and the police station and judicial office of 电海街道. Added once,
 * when the table is empty, before the demo history (whose dispatches name them); only on the demo
 * (the same switch as the demo users).
 */
import type { Sql } from '../db/connect.ts'

const DISTRICT = '440904'
const DIANHAI = '440904004'

export const DEMO_DEPARTMENTS = [
  {
    nameZh: '电海派出所',
    nameEn: 'Dianhai Police Station',
    categories: ['order', 'missing', 'anti_fraud', 'dispute.family'],
    scope: DIANHAI,
    contactName: '值班室',
    contactPhone: '0668-5101110',
  },
  { nameZh: '电海司法所', nameEn: 'Dianhai Judicial Office', categories: ['dispute'], scope: DIANHAI, contactName: '人民调解室', contactPhone: '0668-5101148' },
  {
    nameZh: '区住房和城乡建设局',
    nameEn: 'District Housing and Construction Bureau',
    categories: ['hazard.dangerous_house', 'hazard.rental_fire', 'dispute.demolition'],
    scope: DISTRICT,
    contactName: '值班室',
    contactPhone: '0668-5102201',
  },
  {
    nameZh: '区城市管理和综合执法局',
    nameEn: 'District Urban Management Bureau',
    categories: ['environment', 'order.nuisance'],
    scope: DISTRICT,
    contactName: '指挥中心',
    contactPhone: '0668-5102312',
  },
  {
    nameZh: '区市场监督管理局',
    nameEn: 'District Market Regulation Bureau',
    categories: ['livelihood'],
    scope: DISTRICT,
    contactName: '投诉举报中心',
    contactPhone: '0668-5102315',
  },
  {
    nameZh: '自然资源局电白分局',
    nameEn: 'Natural Resources Bureau, Dianbai Branch',
    categories: ['dispute.land', 'environment.illegal_building'],
    scope: DISTRICT,
    contactName: '执法监察股',
    contactPhone: '0668-5102450',
  },
  { nameZh: '区卫生健康局', nameEn: 'District Health Bureau', categories: ['epidemic'], scope: DISTRICT, contactName: '应急办', contactPhone: '0668-5102120' },
  {
    nameZh: '电白公安分局',
    nameEn: 'Dianbai Public Security Sub-bureau',
    categories: ['order', 'missing', 'anti_fraud'],
    scope: DISTRICT,
    contactName: '指挥中心',
    contactPhone: '0668-5102110',
  },
  { nameZh: '区司法局', nameEn: 'District Justice Bureau', categories: ['dispute'], scope: DISTRICT, contactName: '人民调解科', contactPhone: '0668-5102148' },
  {
    nameZh: '区应急管理局',
    nameEn: 'District Emergency Management Bureau',
    categories: ['hazard'],
    scope: DISTRICT,
    contactName: '值班室',
    contactPhone: '0668-5102119',
  },
]

export async function seedDemoDepartments(sql: Sql): Promise<number> {
  const [{ n } = { n: 0 }] = await sql<{ n: number }[]>`select count(*)::int as n from department`
  if (n > 0) return 0
  const known = new Set((await sql<{ code: string }[]>`select code from incident_category`).map((r) => r.code))
  for (const d of DEMO_DEPARTMENTS) {
    await sql`insert into department (name_zh, name_en, categories, scope, contact_name, contact_phone)
              values (${d.nameZh}, ${d.nameEn}, ${d.categories.filter((c) => known.has(c))}::text[], ${d.scope}, ${d.contactName}, ${d.contactPhone})
              on conflict (name_zh) do nothing`
  }
  return DEMO_DEPARTMENTS.length
}
