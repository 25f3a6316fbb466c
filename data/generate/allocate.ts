/**
 * How many children each cell gets and how many households live in each household group.
 * County totals (4,689 villager groups, 8,805 household groups for Dianbai) are exact figures,
 * so counts are shared out by largest remainder: every cell first gets its minimum of one, the
 * rest is split in proportion to a weight and the leftover units go to the largest fractional
 * parts (ties by position, i.e. by code). Weights come from each cell's own code hash and its
 * kind (community or village), never from geometry, so moving a town anchor changes no count.
 */
import { rngFor } from './prng.ts'
import type { GridFigures } from './types.ts'

/** Split `total` into integers ≥ `minimum`, proportional to `weights` beyond the minimum. */
export function largestRemainder(total: number, weights: readonly number[], minimum = 1): number[] {
  const n = weights.length
  const spare = total - n * minimum
  if (spare < 0) throw new Error(`cannot give ${n} cells at least ${minimum} each out of ${total}`)
  const sum = weights.reduce((a, b) => a + b, 0)
  if (!(sum > 0)) throw new Error('weights must sum to a positive number')
  const quotas = weights.map((w) => (spare * w) / sum)
  const counts = quotas.map((q) => minimum + Math.floor(q))
  let left = total - counts.reduce((a, b) => a + b, 0)
  const order = quotas.map((q, i) => [q - Math.floor(q), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1])
  for (let k = 0; left > 0; k++, left--) counts[order[k % n]![1]]! += 1
  return counts
}

/**
 * The county figures, with typical ratios (taken from Dianbai) filling any that the source
 * folder does not give, so another county's folder works with just a division list and a boundary.
 */
export function resolveFigures(given: Partial<GridFigures> | undefined, villages: number): GridFigures {
  const villagerGroups = given?.villagerGroups ?? Math.round(villages * 11.46)
  const householdGroups = given?.householdGroups ?? Math.round(villagerGroups * 1.878)
  const figures: GridFigures = {
    villagerGroups,
    householdGroups,
    villagePartyCommittees: given?.villagePartyCommittees ?? Math.round(villages * 0.117),
    generalPartyBranches: given?.generalPartyBranches ?? Math.round(villages * 0.372),
    gridPartyBranches: given?.gridPartyBranches ?? Math.round(villagerGroups * 0.135),
    partyGroups: given?.partyGroups ?? Math.round(householdGroups * 0.171),
  }
  if (figures.villagerGroups < villages) throw new Error('fewer villager groups than villages')
  if (figures.householdGroups < figures.villagerGroups) throw new Error('fewer household groups than villager groups')
  if (figures.villagePartyCommittees + figures.generalPartyBranches > villages) throw new Error('more village-level party bodies than villages')
  if (figures.gridPartyBranches > figures.villagerGroups || figures.partyGroups > figures.householdGroups)
    throw new Error('more party branches or groups than cells to attach them to')
  return figures
}

/**
 * Villager groups per village: communities (urban, 居民小组) have somewhat fewer groups than
 * villages; within a kind the weight varies ±40% by code hash.
 */
export function villagerGroupWeight(code: string, community: boolean): number {
  return (community ? 0.75 : 1) * (0.6 + 0.8 * rngFor(code, 'villager-groups').next())
}

/**
 * Household groups per villager group: groups in urban subdistricts (街道) are split much further
 * (dense blocks of flats), communities elsewhere somewhat further; with the subdistricts' small
 * area this makes urban household groups clearly smaller than rural and mountain ones.
 */
export function householdGroupWeight(code: string, community: boolean, urban: boolean): number {
  return (urban ? 8 : community ? 1.8 : 1) * (0.3 + 1.4 * rngFor(code, 'household-groups').next())
}

/** A level-2 division is urban when it is a subdistrict (街道) rather than a town, farm or salt field. */
export function isUrbanTown(name: string): boolean {
  return name.endsWith('街道')
}

/** Households and population of one household group: urban ones are larger, with smaller families. */
export function householdGroupPeople(code: string, community: boolean): { households: number; population: number } {
  const rng = rngFor(code, 'households')
  const households = community ? rng.int(20, 46) : rng.int(10, 30)
  const perHousehold = community ? rng.range(3.6, 3.9) : rng.range(3.8, 4.2)
  return { households, population: Math.round(households * perHousehold) }
}
