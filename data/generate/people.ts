/**
 * Synthetic grid staff: one grid worker (网格员) per household group and one grid leader
 * (网格长) per villager group. Names combine surnames common in western Guangdong (weighted
 * roughly by frequency) with everyday given-name characters; phone numbers use real mainland
 * mobile prefixes and random digits. Everything is drawn from the cell's own code hash, so the
 * same cell always gets the same person. The demo's residents (server/demo/model.ts) are drawn
 * with the same name and phone generators. They are fictitious: any match with a real person or
 * number is a coincidence.
 */
import { rngFor } from './prng.ts'
import type { GridPerson } from './types.ts'

/** Surname and relative weight. */
const SURNAMES: [string, number][] = [
  ['陈', 14],
  ['李', 8],
  ['黄', 8],
  ['杨', 6],
  ['林', 6],
  ['邵', 5],
  ['梁', 5],
  ['崔', 4],
  ['吴', 4],
  ['张', 4],
  ['王', 3],
  ['刘', 3],
  ['冯', 3],
  ['莫', 3],
  ['何', 3],
  ['谢', 3],
  ['蔡', 3],
  ['钟', 3],
  ['罗', 2],
  ['邓', 2],
  ['周', 2],
  ['叶', 2],
  ['朱', 2],
  ['许', 2],
  ['温', 1],
  ['卢', 1],
  ['庞', 2],
  ['潘', 1],
  ['赖', 1],
  ['龚', 1],
  ['苏', 1],
  ['郑', 1],
  ['彭', 1],
  ['曾', 1],
  ['柯', 1],
  ['詹', 1],
  ['袁', 1],
  ['严', 1],
  ['邹', 1],
  ['车', 1],
]
const SURNAME_POOL = SURNAMES.flatMap(([name, weight]) => Array<string>(weight).fill(name))
const GIVEN = [...'伟强明华辉军平志勇国建文海东俊杰锋斌涛亮德荣生福金春秀英芳丽燕玲红霞娟梅兰萍静敏婷雪凤桂月珍莲琼云宇浩鹏家振永耀新广茂思嘉欣彬']
const MOBILE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '134',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '153',
  '155',
  '156',
  '157',
  '158',
  '159',
  '177',
  '180',
  '181',
  '182',
  '183',
  '185',
  '186',
  '187',
  '188',
  '189',
  '199',
]

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!

/** A plausible western-Guangdong full name, drawn from `random` (floats in [0, 1)). */
export function personName(random: () => number): string {
  const first = pick(random, GIVEN)
  if (random() < 0.25) return pick(random, SURNAME_POOL) + first
  let second = pick(random, GIVEN)
  while (second === first) second = pick(random, GIVEN)
  return pick(random, SURNAME_POOL) + first + second
}

/** An 11-digit mainland mobile number with a real prefix and random digits. */
export function mobilePhone(random: () => number): string {
  let digits = pick(random, MOBILE_PREFIXES)
  for (let i = 0; i < 8; i++) digits += Math.floor(random() * 10)
  return digits
}

export function gridPerson(cellCode: string, role: GridPerson['role']): GridPerson {
  const { next } = rngFor(cellCode, role)
  return { cellCode, role, fullName: personName(next), phone: mobilePhone(next) }
}
