/**
 * i18n keys of the grid levels, looked up by level number (typed, so a typo is an error): the
 * province (-1) and the city (0) of a province deployment, then the five levels from the county.
 */
import type { GridLevel } from '../grid/codes.ts'

export const LEVEL_NAME_KEYS = {
  [-1]: 'levels.nameProvince',
  0: 'levels.nameCity',
  1: 'levels.name1',
  2: 'levels.name2',
  3: 'levels.name3',
  4: 'levels.name4',
  5: 'levels.name5',
} as const satisfies Record<GridLevel, string>

export const LEVEL_GRID_KEYS = {
  [-1]: 'levels.gridProvince',
  0: 'levels.gridCity',
  1: 'levels.grid1',
  2: 'levels.grid2',
  3: 'levels.grid3',
  4: 'levels.grid4',
  5: 'levels.grid5',
} as const satisfies Record<GridLevel, string>

/** Clamps an API level (a plain number in the types) into the known ones. */
export function asGridLevel(level: number): GridLevel {
  return Math.min(5, Math.max(-1, Math.round(level))) as GridLevel
}
