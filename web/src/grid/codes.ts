/**
 * Grid codes on the client: a code is its parent's code plus digits of its own (2 for the
 * province, 4 for the city, 6 for the county, then 9, 12, 15, 18), so the level and every ancestor
 * can be read off the code itself, before the API has answered. This mirrors server/grids/codes.ts,
 * which has no imports; it is repeated here so the bundle holds only what the client uses.
 */
export const GRID_CODE_PATTERN = /^[0-9]{2}([0-9]{2}([0-9]{2}([0-9]{3}){0,4})?)?$/

/** -1 the province, 0 the city (only in a province or city deployment), 1 the county … 5 the household group. */
export type GridLevel = -1 | 0 | 1 | 2 | 3 | 4 | 5
export const GRID_LEVELS: readonly GridLevel[] = [-1, 0, 1, 2, 3, 4, 5]
export const LEAF_LEVEL: GridLevel = 5
/** The county (区县): the top of a county deployment, and the widest area some lists are drawn for. */
export const COUNTY_LEVEL: GridLevel = 1

/** How many digits a code of `level` has. */
export function codeLength(level: number): number {
  return level === -1 ? 2 : level === 0 ? 4 : 3 + 3 * level
}

export interface GridStep {
  code: string
  level: number
  name: string
}

export function isGridCode(value: string): boolean {
  return GRID_CODE_PATTERN.test(value)
}

/** 44 → -1, 4409 → 0, 440904 → 1, 440904004 → 2, … 440904004204003002 → 5. */
export function levelOfCode(code: string): GridLevel {
  return (code.length === 2 ? -1 : code.length === 4 ? 0 : (code.length - 3) / 3) as GridLevel
}

/** The code one level up, or null for a province (a county's city may not be loaded: the API's path says). */
export function parentCodeOf(code: string): string | null {
  return code.length > 2 ? code.slice(0, codeLength(levelOfCode(code) - 1)) : null
}

/** The breadcrumb of a cell: its ancestors from the root down, then the cell itself. */
export function breadcrumbOf(cell: GridStep & { path: GridStep[] }): GridStep[] {
  return [...cell.path, { code: cell.code, level: cell.level, name: cell.name }]
}

/**
 * The breadcrumb to show while the newly selected cell loads, from the one shown before: cut
 * back to the cell when going up, or extended by it (with its name, if known) when drilling
 * down one level; null when the new cell is elsewhere (the breadcrumb then waits for the API).
 */
export function pendingBreadcrumb(previous: GridStep[], code: string, name: string | undefined): GridStep[] | null {
  const index = previous.findIndex((step) => step.code === code)
  if (index >= 0) return previous.slice(0, index + 1)
  const last = previous.at(-1)
  if (last && name !== undefined && parentCodeOf(code) === last.code) return [...previous, { code, level: levelOfCode(code), name }]
  return null
}

/**
 * Whether a viewer whose scope is `scope` (a code prefix) may look at `code`: a cell of their own
 * subtree or one of its ancestors (which they see with their own cases only). Any other cell is
 * outside their area: the API would answer it with zeros.
 */
export function isWithinScope(code: string, scope: string): boolean {
  return code.startsWith(scope) || scope.startsWith(code)
}
