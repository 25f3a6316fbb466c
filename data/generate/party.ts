/**
 * The party organisation attached to the grid (党建引领网格): village party committees (村党委)
 * on the largest villages/communities by households and general branches (党总支) on the next
 * largest, as party bodies are upgraded when membership grows; grid party branches (网格党支部)
 * on villager groups and party groups (党小组) on household groups, chosen by households with a
 * per-code jitter so they concentrate where people live without all landing in the towns.
 * Counts come from the county figures.
 */
import { partyOrgName, seqOf } from './naming.ts'
import { rngFor } from './prng.ts'
import type { GridCell, GridFigures, PartyOrg } from './types.ts'

function ranked(cells: GridCell[], jitter: boolean): GridCell[] {
  const score = (c: GridCell) => c.households * (jitter ? 0.6 + 0.8 * rngFor(c.code, 'party').next() : 1)
  const scores = new Map(cells.map((c) => [c.code, score(c)]))
  return [...cells].sort((a, b) => scores.get(b.code)! - scores.get(a.code)! || (a.code < b.code ? -1 : 1))
}

export function buildPartyOrgs(cells: GridCell[], figures: GridFigures): PartyOrg[] {
  const byCode = new Map(cells.map((c) => [c.code, c]))
  const villageOf = (code: string) => byCode.get(code.slice(0, -3 * (byCode.get(code)!.level - 3)))!.name
  const level = (l: number) => cells.filter((c) => c.level === l)
  const orgs: PartyOrg[] = []
  const villages = ranked(level(3), false)
  for (const [i, c] of villages.entries()) {
    if (i < figures.villagePartyCommittees) orgs.push({ cellCode: c.code, kind: 'village_committee', name: partyOrgName.villageCommittee(c.name) })
    else if (i < figures.villagePartyCommittees + figures.generalPartyBranches)
      orgs.push({ cellCode: c.code, kind: 'general_branch', name: partyOrgName.generalBranch(c.name) })
  }
  for (const c of ranked(level(4), true).slice(0, figures.gridPartyBranches))
    orgs.push({ cellCode: c.code, kind: 'grid_branch', name: partyOrgName.gridBranch(villageOf(c.code), seqOf(c.code)) })
  for (const c of ranked(level(5), true).slice(0, figures.partyGroups))
    orgs.push({ cellCode: c.code, kind: 'party_group', name: partyOrgName.partyGroup(seqOf(c.code)) })
  return orgs.sort((a, b) => (a.cellCode < b.cellCode ? -1 : a.cellCode > b.cellCode ? 1 : a.kind < b.kind ? -1 : 1))
}
