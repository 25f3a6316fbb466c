/**
 * Shapes of the grid API, shared by the server and (through Hono RPC) the web client.
 * A code is the parent's code plus three digits: 6 digits for the county (level 1), then
 * 9, 12, 15 and 18 digits for town, village, villager group and household group.
 */
import { z } from 'zod'

export const GRID_LEVELS = [1, 2, 3, 4, 5] as const
export type GridLevel = (typeof GRID_LEVELS)[number]

export const GRID_CODE_PATTERN = /^[0-9]{6}([0-9]{3}){0,4}$/
export const GridCode = z
  .string()
  .regex(GRID_CODE_PATTERN, 'Expected a grid code: 6 digits, then 0 to 4 groups of 3 digits (e.g. 440904004204).')

export const CodeParams = z.object({ code: GridCode })
export const GeometryQuery = z.object({
  children: z.enum(['0', '1'], { message: "Expected children=1 (the cell's children) or children=0 (the cell itself)." }).optional(),
})

export interface GridRef {
  code: string
  level: GridLevel
  name: string
}

export interface GridChild extends GridRef {
  households: number
  population: number
}

export interface GridStats {
  households: number
  population: number
  workers: number
  leaders: number
  partyCommittees: number
  partyGeneralBranches: number
  partyBranches: number
  partyGroups: number
}

export interface GridCell extends GridRef {
  parentCode: string | null
  path: GridRef[]
  children: GridChild[]
  stats: GridStats
  descendantCounts: { level: GridLevel; count: number }[]
  bbox: [number, number, number, number]
  labelPoint: [number, number]
}

/** Parent codes of a code, from the county down: 440904004204 → 440904, 440904004. */
export function ancestorCodes(code: string): string[] {
  const codes: string[] = []
  for (let length = 6; length < code.length; length += 3) codes.push(code.slice(0, length))
  return codes
}
