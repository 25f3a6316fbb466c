/**
 * Shapes of the incidents API: request schemas (zod, validated at the edge) and response types,
 * shared with the web client through Hono RPC.
 */
import { z } from 'zod'
import { GRID_CODE_PATTERN } from '../grids/types.ts'
import { ACTIONS, STATUSES, type Action, type Status } from './workflow.ts'

const finite = (name: string, min: number, max: number) =>
  z.number({ message: `Expected ${name} as a number from ${min} to ${max}.` })
    .refine(Number.isFinite, `Expected ${name} as a finite number.`)
    .pipe(z.number().min(min, `Expected ${name} from ${min} to ${max}.`).max(max, `Expected ${name} from ${min} to ${max}.`))

export const NewIncidentBody = z.strictObject({
  category: z.string({ message: 'Expected category: a subcategory code such as dispute.neighbour (see GET /api/categories).' })
    .regex(/^[a-z_]+\.[a-z_]+$/, 'Expected category: a subcategory code such as dispute.neighbour (see GET /api/categories).'),
  severity: z.number({ message: 'Expected severity as an integer from 1 to 4.' }).int('Expected severity as an integer from 1 to 4.')
    .min(1, 'Expected severity as an integer from 1 to 4.').max(4, 'Expected severity as an integer from 1 to 4.'),
  title: z.string({ message: 'Expected title as text of 1 to 200 characters.' }).trim()
    .min(1, 'Expected title as text of 1 to 200 characters.').max(200, 'Expected title as text of 1 to 200 characters.'),
  description: z.string({ message: 'Expected description as text.' }).max(4000, 'Expected description of at most 4000 characters.').optional(),
  source: z.enum(['patrol', 'resident', 'hotline', 'referral'], { message: 'Expected source: patrol, resident, hotline or referral.' }).optional(),
  reporter: z.string().max(100, 'Expected reporter of at most 100 characters.').optional(),
  occurredAt: z.iso.datetime({ offset: true, message: 'Expected occurredAt as an ISO 8601 date-time with offset.' }).optional(),
  location: z.strictObject({ lon: finite('location.lon', -180, 180), lat: finite('location.lat', -90, 90) }, { message: 'Expected location as { lon, lat }.' }),
  parties: z.array(z.strictObject({
    name: z.string().trim().min(1, 'Expected a party name.').max(50, 'Expected a party name of at most 50 characters.'),
    phone: z.string().regex(/^\+?[0-9-]{5,20}$/, 'Expected a phone number of digits.').optional(),
    idNumber: z.string().regex(/^[0-9]{17}[0-9X]$/, 'Expected an 18-character resident ID number.').optional(),
  }), { message: 'Expected parties as a list of { name, phone?, idNumber? }.' }).max(20, 'Expected at most 20 parties.').optional(),
})
export type NewIncident = z.infer<typeof NewIncidentBody>

export const TransitionBody = z.strictObject({
  action: z.enum(ACTIONS, { message: `Expected action: one of ${ACTIONS.join(', ')}.` }),
  note: z.string().max(1000, 'Expected note of at most 1000 characters.').optional(),
})

export const IncidentIdParams = z.object({
  id: z.string().regex(/^[1-9][0-9]{0,15}$/, 'Expected id as a positive integer.').transform(Number),
})

const csv = <T extends string>(name: string, values: readonly T[]) =>
  z.string().transform((s) => s.split(',').filter(Boolean)).pipe(z.array(z.enum(values as [T, ...T[]], { message: `Expected ${name} as a comma-separated list of ${values.join(', ')}.` })))

export const IncidentQuery = z.object({
  bbox: z.string().transform((s, ctx) => {
    const parts = s.split(',').map(Number)
    const [w, so, e, n] = parts
    if (parts.length !== 4 || parts.some((v) => !Number.isFinite(v)) || w! < -180 || e! > 180 || so! < -90 || n! > 90 || w! >= e! || so! >= n!) {
      ctx.addIssue({ code: 'custom', message: 'Expected bbox as west,south,east,north in degrees with west < east and south < north.' })
      return z.NEVER
    }
    return parts as [number, number, number, number]
  }).optional(),
  grid: z.string().regex(GRID_CODE_PATTERN, 'Expected grid as a grid code (6 digits, then 0 to 4 groups of 3).').optional(),
  category: z.string().regex(/^[a-z_]+(\.[a-z_]+)?$/, 'Expected category as a category or subcategory code.').optional(),
  status: csv('status', STATUSES).optional(),
  severity: z.string().transform((s) => s.split(',').filter(Boolean)).pipe(z.array(z.enum(['1', '2', '3', '4'], { message: 'Expected severity as a comma-separated list of 1 to 4.' }).transform(Number))).optional(),
  from: z.iso.datetime({ offset: true, message: 'Expected from as an ISO 8601 date-time with offset.' }).optional(),
  to: z.iso.datetime({ offset: true, message: 'Expected to as an ISO 8601 date-time with offset.' }).optional(),
  overdue: z.enum(['0', '1'], { message: 'Expected overdue=1 or overdue=0.' }).optional(),
  limit: z.coerce.number({ message: 'Expected limit as an integer from 1 to 500.' }).int('Expected limit as an integer from 1 to 500.')
    .min(1, 'Expected limit as an integer from 1 to 500.').max(500, 'Expected limit as an integer from 1 to 500.').default(50),
  cursor: z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'Expected cursor as returned in nextCursor.').optional(),
})
export type IncidentFilter = z.infer<typeof IncidentQuery>

export const LiveQuery = z.object({
  grid: z.string().regex(GRID_CODE_PATTERN, 'Expected grid as a grid code (6 digits, then 0 to 4 groups of 3).').optional(),
  lastEventId: z.string().regex(/^[0-9]{1,16}$/, 'Expected lastEventId as an event id.').optional(),
})

export interface MaskedParty {
  name: string
  phone: string | null
  idNumber: string | null
}

export interface IncidentView {
  id: number
  category: string
  severity: number
  title: string
  description: string
  source: string
  reporter: string
  occurredAt: string
  reportedAt: string
  location: { lon: number; lat: number }
  gridCode: string
  handlingLevel: number
  status: Status
  dueAt: string
  closedAt: string | null
  overdue: boolean
  parties: MaskedParty[]
  allowedActions: Action[]
}

export interface IncidentEventView {
  id: number
  incidentId: number
  at: string
  actor: string
  action: string
  fromStatus: Status | null
  toStatus: Status
  fromLevel: number | null
  toLevel: number
  note: string
}
