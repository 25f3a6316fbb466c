/**
 * Shapes of the web grid import's requests: the options of `npm run import -- grid` as form
 * fields (multipart) or query parameters (a raw upload), and the import's id.
 */
import { z } from 'zod'
import { parseFieldMap } from '../imports/cells.ts'
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
  id: z.string().regex(/^[0-9a-f-]{36}$/, 'Expected id as the import id the upload answered.'),
})

export const ApplyBody = z.object({
  confirm: z.literal(true, { message: 'Expected confirm: true (the commander has seen what changes).' }),
})
