/** Request schemas of the base-data routes (inferred on both sides through the RPC client). */
import { z } from 'zod'
import { BASE_DATA_KINDS, type BaseDataKind } from './kinds.ts'

export const KindParams = z.object({
  kind: z.enum(BASE_DATA_KINDS, { message: 'Expected kind: households, people, workers or party.' }),
})

export const TemplateParams = z.object({
  file: z.enum(BASE_DATA_KINDS.map((k) => `${k}.xlsx`) as [string, ...string[]], {
    message: 'Expected households.xlsx, people.xlsx, workers.xlsx or party.xlsx.',
  }),
})

export const ImportQuery = z.strictObject({
  apply: z.enum(['true', 'false'], { message: 'Expected apply: true or false.' }).optional(),
})

const coordinate = (name: string, min: number, max: number) =>
  z.coerce
    .number({ message: `Expected ${name} as a number.` })
    .min(min, `Expected ${name} ≥ ${min}.`)
    .max(max, `Expected ${name} ≤ ${max}.`)

/** The map's view: the bounding box in WGS 84 and the zoom the points are clustered for. */
export const HouseholdQuery = z
  .strictObject({
    west: coordinate('west', -180, 180),
    south: coordinate('south', -90, 90),
    east: coordinate('east', -180, 180),
    north: coordinate('north', -90, 90),
    zoom: coordinate('zoom', 0, 24),
  })
  .refine((q) => q.west < q.east && q.south < q.north, { message: 'Expected west < east and south < north.', path: ['west'] })
  .refine((q) => (q.east - q.west) * (q.north - q.south) <= 4, { message: 'Expected a view of at most 4 square degrees.', path: ['west'] })

/** The answer to a checked (or applied) file without row problems. */
export interface BaseDataChecked {
  kind: BaseDataKind
  /** Data rows read. */
  rows: number
  counts: { added: number; changed: number; unchanged: number }
  /** Cells whose household and population figures the file changes (0 for workers and party). */
  cellFigures: number
  applied: boolean
}
