/**
 * Shapes of the incidents API: request schemas (zod, validated at the edge) and response types,
 * shared with the web client through Hono RPC.
 */
import { z } from 'zod'
import { GRID_CODE_PATTERN } from '../grids/codes.ts'
import { isoDateTime, isWithinYears } from '../http/date-time.ts'
import { ACTIONS, STATUSES, type Action, type Status } from './workflow.ts'
import type { AssigneeView } from './assignee.ts'

const finite = (name: string, min: number, max: number) =>
  z
    .number({ message: `Expected ${name} as a number from ${min} to ${max}.` })
    .refine(Number.isFinite, `Expected ${name} as a finite number.`)
    .pipe(z.number().min(min, `Expected ${name} from ${min} to ${max}.`).max(max, `Expected ${name} from ${min} to ${max}.`))

export const NewIncidentBody = z.strictObject({
  category: z
    .string({ message: 'Expected category: a subcategory code such as dispute.neighbour (see GET /api/categories).' })
    .regex(/^[a-z_]+\.[a-z_]+$/, 'Expected category: a subcategory code such as dispute.neighbour (see GET /api/categories).'),
  severity: z
    .number({ message: 'Expected severity as an integer from 1 to 4.' })
    .int('Expected severity as an integer from 1 to 4.')
    .min(1, 'Expected severity as an integer from 1 to 4.')
    .max(4, 'Expected severity as an integer from 1 to 4.'),
  title: z
    .string({ message: 'Expected title as text of 1 to 200 characters.' })
    .trim()
    .min(1, 'Expected title as text of 1 to 200 characters.')
    .max(200, 'Expected title as text of 1 to 200 characters.'),
  description: z.string({ message: 'Expected description as text.' }).max(4000, 'Expected description of at most 4000 characters.').optional(),
  source: z.enum(['patrol', 'resident', 'hotline', 'referral'], { message: 'Expected source: patrol, resident, hotline or referral.' }).optional(),
  reporter: z.string().max(100, 'Expected reporter of at most 100 characters.').optional(),
  occurredAt: isoDateTime('occurredAt').optional(),
  location: z.strictObject({ lon: finite('location.lon', -180, 180), lat: finite('location.lat', -90, 90) }, { message: 'Expected location as { lon, lat }.' }),
  parties: z
    .array(
      z.strictObject({
        name: z.string().trim().min(1, 'Expected a party name.').max(50, 'Expected a party name of at most 50 characters.'),
        phone: z
          .string()
          .regex(/^\+?[0-9-]{5,20}$/, 'Expected a phone number of digits.')
          .optional(),
        idNumber: z
          .string()
          .regex(/^[0-9]{17}[0-9X]$/, 'Expected an 18-character resident ID number.')
          .optional(),
      }),
      { message: 'Expected parties as a list of { name, phone?, idNumber? }.' },
    )
    .max(20, 'Expected at most 20 parties.')
    .optional(),
})
export type NewIncident = z.infer<typeof NewIncidentBody>

export const TransitionBody = z.strictObject({
  action: z.enum(ACTIONS, { message: `Expected action: one of ${ACTIONS.join(', ')}.` }),
  note: z.string().max(1000, 'Expected note of at most 1000 characters.').optional(),
  /** For dispatch: who handles the case (GET /api/incidents/:id/candidates). */
  assignee: z
    .union([z.strictObject({ person: z.number().int().positive() }), z.strictObject({ department: z.number().int().positive() })], {
      message: 'Expected assignee as { person: id } or { department: id }.',
    })
    .optional(),
})

export const IncidentIdParams = z.object({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/, 'Expected id as a positive integer.')
    .transform(Number),
})

const csv = <T extends string>(name: string, values: readonly T[]) =>
  z
    .string()
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(z.enum(values as [T, ...T[]], { message: `Expected ${name} as a comma-separated list of ${values.join(', ')}.` })))

/** Relative time windows, ending now. */
export const RANGES = ['24h', '7d', '30d', '12m'] as const
export type Range = (typeof RANGES)[number]
const CATEGORY_CODE = /^[a-z_]+(\.[a-z_]+)?$/
const CATEGORY_MESSAGE = 'Expected category as a comma-separated list of category or subcategory codes (see GET /api/categories).'
const MAX_CATEGORIES = 50

/**
 * The filter every incident endpoint accepts (list, summary, points, by-cell, export), parsed by
 * this one shape and applied by the one `incidentWhere` (queries.ts). `range` is resolved to
 * `from`/`to` at parse time, so every query of one request sees the same window.
 */
export const INCIDENT_FILTER_FIELDS = {
  bbox: z
    .string()
    .transform((s, ctx) => {
      const parts = s.split(',').map(Number)
      const [w, so, e, n] = parts
      if (parts.length !== 4 || parts.some((v) => !Number.isFinite(v)) || w! < -180 || e! > 180 || so! < -90 || n! > 90 || w! >= e! || so! >= n!) {
        ctx.addIssue({ code: 'custom', message: 'Expected bbox as west,south,east,north in degrees with west < east and south < north.' })
        return z.NEVER
      }
      return parts as [number, number, number, number]
    })
    .optional(),
  grid: z
    .string()
    .regex(GRID_CODE_PATTERN, 'Expected grid as a grid code (2 digits for a province, 4 for a city, 6 for a county, then 0 to 4 groups of 3).')
    .optional(),
  /** Top-level (`dispute`) or subcategory (`dispute.neighbour`) codes, OR'ed. */
  category: z
    .string()
    .transform((s) => [...new Set(s.split(',').filter(Boolean))])
    .pipe(
      z
        .array(z.string().regex(CATEGORY_CODE, CATEGORY_MESSAGE), { message: CATEGORY_MESSAGE })
        .max(MAX_CATEGORIES, `Expected at most ${MAX_CATEGORIES} categories.`),
    )
    .optional(),
  status: csv('status', STATUSES).optional(),
  severity: z
    .string()
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(z.enum(['1', '2', '3', '4'], { message: 'Expected severity as a comma-separated list of 1 to 4.' }).transform(Number)))
    .optional(),
  from: isoDateTime('from').optional(),
  to: isoDateTime('to').optional(),
  range: z.enum(RANGES, { message: `Expected range as one of ${RANGES.join(', ')} (instead of from/to).` }).optional(),
  overdue: z.enum(['0', '1'], { message: 'Expected overdue=1 or overdue=0.' }).optional(),
  /** 1: escalated at least once (handled above the level it started at); 0: never escalated. */
  escalated: z.enum(['0', '1'], { message: 'Expected escalated=1 or escalated=0.' }).optional(),
  q: z.string().trim().min(1, 'Expected q as text of 1 to 100 characters.').max(100, 'Expected q as text of 1 to 100 characters.').optional(),
}

const RANGE_MS: Record<Exclude<Range, '12m'>, number> = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 }

/** The start of a relative window ending at `now`: 12m is twelve calendar months. */
export function rangeStart(range: Range, now: Date): Date {
  if (range !== '12m') return new Date(now.getTime() - RANGE_MS[range])
  const start = new Date(now)
  start.setUTCMonth(start.getUTCMonth() - 12)
  return start
}

/**
 * A query schema: the incident filter plus an endpoint's own parameters. Checks that range is not
 * combined with from/to and that from is before to, then resolves range to from/to.
 */
export function withIncidentFilter<Extra extends z.ZodRawShape>(extra: Extra) {
  const shape = z.object({ ...INCIDENT_FILTER_FIELDS, ...extra })
  return shape
    .superRefine((query, ctx) => {
      const q = query as unknown as RawFilter
      if (q.range && (q.from || q.to)) {
        ctx.addIssue({ code: 'custom', path: ['range'], message: 'Expected either range or from/to, not both.' })
      }
      if (q.from && q.to && Date.parse(q.from) >= Date.parse(q.to)) {
        ctx.addIssue({ code: 'custom', path: ['to'], message: 'Expected to later than from.' })
      } else if (!windowStartsAfterYearOne(q)) {
        ctx.addIssue({
          code: 'custom',
          path: [q.from ? 'from' : 'to'],
          message: 'Expected a time window whose comparison period (as long again, before it) starts in year 0001 or later.',
        })
      }
    })
    .transform((query) => resolveRange(query as z.output<typeof shape> & RawFilter))
}

type RawFilter = z.output<z.ZodObject<typeof INCIDENT_FILTER_FIELDS>>

/** Figures compare a window with the one as long before it (30 days without from): that must not reach before year 1. */
const COMPARISON_DEFAULT_MS = 30 * 86_400_000
function windowStartsAfterYearOne(q: RawFilter): boolean {
  if (!q.from && !q.to) return true
  const to = q.to ? Date.parse(q.to) : Date.now()
  const from = q.from ? Date.parse(q.from) : to - COMPARISON_DEFAULT_MS
  return isWithinYears(from - (to - from))
}

function resolveRange<T extends RawFilter>({ range, ...q }: T): Omit<T, 'range'> {
  if (!range) return q
  const now = new Date()
  return { ...q, from: rangeStart(range, now).toISOString(), to: now.toISOString() }
}

/** The filter fields alone, as parsed (range already resolved to from/to). */
export const IncidentFilterQuery = withIncidentFilter({})
export type IncidentFilter = z.infer<typeof IncidentFilterQuery>

export const IncidentQuery = withIncidentFilter({
  limit: z.coerce
    .number({ message: 'Expected limit as an integer from 1 to 500.' })
    .int('Expected limit as an integer from 1 to 500.')
    .min(1, 'Expected limit as an integer from 1 to 500.')
    .max(500, 'Expected limit as an integer from 1 to 500.')
    .default(50),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,100}$/, 'Expected cursor as returned in nextCursor.')
    .optional(),
})
export type IncidentListQuery = z.infer<typeof IncidentQuery>

export const LiveQuery = z.object({
  grid: z
    .string()
    .regex(GRID_CODE_PATTERN, 'Expected grid as a grid code (2 digits for a province, 4 for a city, 6 for a county, then 0 to 4 groups of 3).')
    .optional(),
  lastEventId: z
    .string()
    .regex(/^[0-9]{1,16}$/, 'Expected lastEventId as an event id.')
    .optional(),
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
  /** Who handles the case now (chosen at dispatch). */
  assignee: AssigneeView | null
  /** The case this one was merged into. */
  mergedInto: number | null
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
  /** Who acted, as people read it: masked name, role and cell, or an office, channel or the system. */
  by: ActorLabel
  /** Whom a dispatch chose. */
  assignee: AssigneeView | null
  /** The other case of a merge. */
  relatedIncident: number | null
}

/**
 * Who acted. kind person: a grid person or signed-in user (name masked); office: a level's
 * command (镇综治中心…); channel: hotline, resident, referral; system: automatic steps.
 * role is a code the client names (grid_worker, town_leader, town_office, hotline, system…).
 */
export interface ActorLabel {
  kind: 'person' | 'office' | 'channel' | 'system'
  name: string | null
  role: string
  cellCode: string | null
  cellName: string | null
}

export interface IncidentRollup {
  total: number
  open: number
  overdue: number
  resolved: number
  /** Closed cases handled at household group or villager group level, ÷ closed cases. */
  resolvedInGridRate: number | null
  /** Closed cases handled at town level or below, ÷ closed cases. */
  resolvedInTownRate: number | null
  meanHoursToClose: number | null
}
