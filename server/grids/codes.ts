/**
 * Grid codes: a code is the parent's code plus three digits: 6 digits for the county (level 1),
 * then 9, 12, 15 and 18 digits for town, village, villager group and household group. Plain
 * functions and patterns, below every capability that names a cell.
 */
export const GRID_CODE_PATTERN = /^[0-9]{6}([0-9]{3}){0,4}$/

/** Parent codes of a code, from the county down: 440904004204 → 440904, 440904004. */
export function ancestorCodes(code: string): string[] {
  const codes: string[] = []
  for (let length = 6; length < code.length; length += 3) codes.push(code.slice(0, length))
  return codes
}
