/**
 * Names of the synthetic cells and of the party bodies attached to them. Levels 1–3 keep their
 * official names; a level-3 name tells whether it is a community (社区/居委会/居民委员会, or a
 * farm's 生活区), whose groups are 居民小组, or a village (村委会), whose groups are 村民小组.
 * The short forms used inside longer names follow common usage: 蓝田坡村委会 → 蓝田坡村,
 * 霞里社区居委会 → 霞里社区, 新兴街居委会 → 新兴街社区.
 */

const COMMUNITY = /社区|居委会|居民委员会|生活区/

export function isCommunity(villageName: string): boolean {
  return COMMUNITY.test(villageName)
}

/** The village or community itself, without the committee suffix. */
export function villageShortName(name: string): string {
  const rules: [RegExp, string][] = [
    [/村民委员会$/, '村'],
    [/村委会$/, '村'],
    [/社区(居委会|居民委员会)$/, '社区'],
    [/(居委会|居民委员会)$/, '社区'],
    [/虚拟生活区$/, '生活区'],
    [/委员会$/, ''],
  ]
  for (const [pattern, replacement] of rules) if (pattern.test(name)) return name.replace(pattern, replacement)
  return name
}

export function villagerGroupName(seq: number, community: boolean): string {
  return `第${seq}${community ? '居民' : '村民'}小组`
}

export function householdGroupName(seq: number): string {
  return `第${seq}住户小组`
}

/** Sequence number of a level-4/5 cell: the last three digits of its code. */
export function seqOf(code: string): number {
  return Number(code.slice(-3))
}

export const partyOrgName = {
  villageCommittee: (village: string) => `中共${villageShortName(village)}委员会`,
  generalBranch: (village: string) => `中共${villageShortName(village)}总支部委员会`,
  gridBranch: (village: string, groupSeq: number) => `${villageShortName(village)}第${groupSeq}网格党支部`,
  partyGroup: (householdSeq: number) => `第${householdSeq}住户小组党小组`,
}
