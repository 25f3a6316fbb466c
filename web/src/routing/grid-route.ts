/**
 * The selection lives in the URL: `/` is the root grid (the district), `/grid/<code>` any cell
 * below it. Pure conversions here; use-grid-route.ts keeps them in step with the history.
 */
import { isGridCode } from '../grid/codes.ts'

const GRID_PATH = /^\/grid\/([^/]+)\/?$/

/** The cell a path selects, or null for the root (also for any path that is not a grid path). */
export function codeFromPath(pathname: string): string | null {
  const match = GRID_PATH.exec(pathname)
  const code = match ? decodeURIComponent(match[1]!) : null
  return code !== null && isGridCode(code) ? code : null
}

/** The path of a cell; the root cell (or null) is `/` so the plain address opens the district. */
export function pathOfCode(code: string | null, rootCode?: string): string {
  return code === null || code === rootCode ? '/' : `/grid/${code}`
}
