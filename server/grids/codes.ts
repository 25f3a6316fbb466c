/**
 * Grid codes: a code is its parent's code plus digits of its own: 2 digits for the province
 * (level -1) and 4 for the city (level 0), the division codes' own prefixes, then 6 for the county
 * (level 1) and 9, 12, 15 and 18 for town, village, villager group and household group. Plain
 * functions and patterns, below every capability that names a cell.
 */
export const GRID_CODE_PATTERN = /^[0-9]{2}([0-9]{2}([0-9]{2}([0-9]{3}){0,4})?)?$/

/** The province's and the city's levels, above the county's. */
export const PROVINCE_LEVEL = -1
export const CITY_LEVEL = 0
/** The county (区县): the top of a county deployment, and the widest area some lists are drawn for. */
export const COUNTY_LEVEL = 1

/** How many digits a code of `level` has (the SQL function grid_code_length). */
export function codeLength(level: number): number {
  return level === PROVINCE_LEVEL ? 2 : level === CITY_LEVEL ? 4 : 3 + 3 * level
}

/** 44 → -1, 4409 → 0, 440904 → 1, 440904004 → 2, … 440904004204003002 → 5. */
export function levelOfCode(code: string): number {
  return code.length === 2 ? PROVINCE_LEVEL : code.length === 4 ? CITY_LEVEL : (code.length - 3) / 3
}

/** Parent codes of a code, from the province down: 440904004204 → 44, 4409, 440904, 440904004. */
export function ancestorCodes(code: string): string[] {
  const codes: string[] = []
  for (let level = PROVINCE_LEVEL; codeLength(level) < code.length; level++) codes.push(code.slice(0, codeLength(level)))
  return codes
}

/** The narrower of two nested prefixes; null when neither contains the other (nothing is visible). */
export function narrowPrefix(scope: string, grid: string | undefined | null): string | null {
  if (!grid || grid.startsWith(scope)) return grid || scope
  if (scope.startsWith(grid)) return scope
  return null
}
