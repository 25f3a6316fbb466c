/**
 * Grid codes on the client: a code is its parent's code plus three digits (6 digits for the
 * county, then 9, 12, 15, 18), so the level and every ancestor can be read off the code itself,
 * before the API has answered. The pattern mirrors server/grids/types.ts (GRID_CODE_PATTERN);
 * it is repeated here because that module pulls zod into the bundle.
 */
export const GRID_CODE_PATTERN = /^[0-9]{6}([0-9]{3}){0,4}$/

export type GridLevel = 1 | 2 | 3 | 4 | 5
export const GRID_LEVELS: readonly GridLevel[] = [1, 2, 3, 4, 5]
export const LEAF_LEVEL: GridLevel = 5

export interface GridStep {
  code: string
  level: number
  name: string
}

export function isGridCode(value: string): boolean {
  return GRID_CODE_PATTERN.test(value)
}

/** 440904 → 1, 440904004 → 2, … 440904004204003002 → 5. */
export function levelOfCode(code: string): GridLevel {
  return ((code.length - 6) / 3 + 1) as GridLevel
}

/** The code one level up, or null for a county (level 1). */
export function parentCodeOf(code: string): string | null {
  return code.length > 6 ? code.slice(0, -3) : null
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
