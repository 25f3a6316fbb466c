/**
 * Shapes of the web grid import: its requests (the options of `npm run import -- grid` as form
 * fields (multipart) or query parameters (a raw upload), and the import's id) and the import as
 * the API answers it and the database keeps it.
 */
import { z } from 'zod'
import { parseFieldMap } from '../imports/cells.ts'
import type { GridImportOptions } from '../imports/grid-import.ts'
import { parseCrsName } from '../imports/crs.ts'

const optionalText = (max: number, message: string) =>
  z
    .string()
    .trim()
    .max(max, message)
    .transform((s) => (s === '' ? undefined : s))
    .optional()

export const ImportSettingsSchema = z.object({
  layer: optionalText(100, 'Expected layer as a layer name of at most 100 characters.'),
  crs: optionalText(40, 'Expected crs as EPSG:n, gcj02 or bd09.').refine((value) => {
    if (value === undefined) return true
    try {
      parseCrsName(value)
      return true
    } catch {
      return false
    }
  }, 'Expected crs as EPSG:n (e.g. EPSG:4546), gcj02 or bd09.'),
  encoding: optionalText(20, 'Expected encoding as a name such as gbk or utf-8.').refine((value) => {
    if (value === undefined) return true
    try {
      new TextDecoder(value)
      return true
    } catch {
      return false
    }
  }, 'Expected encoding as a text encoding such as gbk or utf-8.'),
  map: optionalText(200, 'Expected map as code=FIELD,name=FIELD,level=FIELD,parent=FIELD.').refine((value) => {
    if (value === undefined) return true
    try {
      parseFieldMap(value)
      return true
    } catch {
      return false
    }
  }, 'Expected map as code=FIELD,name=FIELD,level=FIELD,parent=FIELD (any of them).'),
  toleranceM: z.coerce
    .number({ message: 'Expected toleranceM as a number of metres from 0 to 1000.' })
    .min(0, 'Expected toleranceM as a number of metres from 0 to 1000.')
    .max(1000, 'Expected toleranceM as a number of metres from 0 to 1000.')
    .default(5),
  effective: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Expected effective as a date yyyy-mm-dd.')
    .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'Expected effective as a date yyyy-mm-dd.')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  /** A raw upload's file name (its extension says the format when the content type does not). */
  filename: optionalText(200, 'Expected filename as a file name of at most 200 characters.'),
})

export type ImportSettingsInput = z.infer<typeof ImportSettingsSchema>

export const ImportIdParams = z.object({
  id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'Expected id as the import id the upload answered.'),
})

export const ApplyBody = z.object({
  confirm: z.literal(true, { message: 'Expected confirm: true (the commander has seen what changes).' }),
})

/** The command line's options that say how to read and check the files. */
export type ImportSettings = Pick<GridImportOptions, 'layer' | 'crs' | 'encoding' | 'map' | 'toleranceM' | 'effective'>

export type ImportState = 'checking' | 'checked' | 'failed' | 'applying' | 'applied' | 'unchanged'

/** What applying would change, counted in a transaction rolled back (as the command without --yes). */
export interface ImportPlan {
  roots: string[]
  added: number
  updated: number
  removed: number
  /** Open cases a report at the same place would now put in another household group. */
  openCases: number
  /** Grid staff and party organisations of removed cells, moved to the new cell that takes their area. */
  people: number
  party: number
  /** Households that follow their house point into another cell, and their residents. */
  households: number
  residents: number
  /** Removed cells that cases keep as the cell they were reported in. */
  retiredWithCases: number
  /** Removed cells whose staff, party organisations or homes no new cell takes in (apply is refused). */
  unplaced: { code: string; people: number; party: number; households: number }[]
  /** The same files as the latest version: applying changes nothing. */
  unchanged: boolean
}

export interface ImportStatus {
  id: string
  state: ImportState
  files: string[]
  settings: ImportSettings
  startedAt: string
  by: string
  progress: { stage: string; done: number; total: number }
  cells: number
  levels: { level: number | null; cells: number }[]
  crs: string[]
  errors: number
  warnings: number
  kinds: { kind: string; severity: 'error' | 'warning'; count: number }[]
  /** [west, south, east, north] of the cells read (WGS 84), for the map. */
  bounds: [number, number, number, number] | null
  plan: ImportPlan | null
  version: number | null
  /** Why a check failed, or why an import is checked again: said in the viewer's language by the page. */
  reason: ImportReason | null
  /** The same in a sentence, for other clients. */
  message: string | null
}

/**
 * - `check-error`: the check stopped on an error (the server log says which);
 * - `stopped-checking`: the process checking it stopped (no heartbeat): upload the files again;
 * - `stopped-applying`: the process applying it stopped: it may be applied again.
 */
export type ImportReason = 'check-error' | 'stopped-checking' | 'stopped-applying'
