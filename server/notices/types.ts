/**
 * Shapes of the notices API: request schemas (zod, validated at the edge) and the response
 * types the web client derives through Hono RPC.
 */
import { z } from 'zod'
import { GRID_CODE_PATTERN } from '../grids/codes.ts'

export const NOTICE_KINDS = ['missing-person', 'urgent', 'work', 'publicity'] as const
export type NoticeKind = (typeof NOTICE_KINDS)[number]
export const PRIORITIES = ['normal', 'high', 'urgent'] as const
export type Priority = (typeof PRIORITIES)[number]
/** Kinds that carry a 30-minute acknowledgement deadline by default, a sound and the wall banner. */
export const URGENT_KINDS: readonly NoticeKind[] = ['missing-person', 'urgent']
export const CELL_STATES = ['none', 'acknowledged', 'searched', 'clue'] as const
export type CellState = (typeof CELL_STATES)[number]

const finite = (name: string, min: number, max: number) =>
  z
    .number({ message: `Expected ${name} as a number from ${min} to ${max}.` })
    .refine(Number.isFinite, `Expected ${name} as a finite number.`)
    .pipe(z.number().min(min, `Expected ${name} from ${min} to ${max}.`).max(max, `Expected ${name} from ${min} to ${max}.`))
const point = (name: string) =>
  z.strictObject({ lon: finite(`${name}.lon`, -180, 180), lat: finite(`${name}.lat`, -90, 90) }, { message: `Expected ${name} as { lon, lat }.` })
const text = (name: string, min: number, max: number) =>
  z
    .string({ message: `Expected ${name} as text of ${min} to ${max} characters.` })
    .trim()
    .min(min, `Expected ${name} as text of ${min} to ${max} characters.`)
    .max(max, `Expected ${name} as text of ${min} to ${max} characters.`)
const attachmentIds = z
  .array(z.number().int('Expected attachment ids as positive integers.').min(1, 'Expected attachment ids as positive integers.').max(Number.MAX_SAFE_INTEGER), {
    message: 'Expected attachments as a list of attachment ids.',
  })
  .max(9, 'Expected at most 9 attachments.')

export const NoticeTarget = z.union(
  [
    z.strictObject({
      grids: z
        .array(
          z.string().regex(GRID_CODE_PATTERN, 'Expected grid codes: 2 digits for a province, 4 for a city, 6 for a county, then 0 to 4 groups of 3 digits.'),
          {
            message: 'Expected target.grids as a list of grid codes.',
          },
        )
        .min(1, 'Expected at least one grid code.')
        .max(50, 'Expected at most 50 grid codes.'),
    }),
    z.strictObject({
      point: point('target.point'),
      radiusM: z
        .number({ message: 'Expected target.radiusM in metres from 1 to 100000.' })
        .int('Expected target.radiusM as whole metres.')
        .min(1, 'Expected target.radiusM from 1 to 100000.')
        .max(100_000, 'Expected target.radiusM from 1 to 100000.'),
    }),
  ],
  { message: 'Expected target as { grids: [code, …] } or { point: { lon, lat }, radiusM }.' },
)

export const NewNoticeBody = z
  .strictObject({
    kind: z.enum(NOTICE_KINDS, { message: `Expected kind: one of ${NOTICE_KINDS.join(', ')}.` }),
    title: text('title', 1, 200),
    body: z.string({ message: 'Expected body as text.' }).max(4000, 'Expected body of at most 4000 characters.').default(''),
    priority: z.enum(PRIORITIES, { message: `Expected priority: one of ${PRIORITIES.join(', ')}.` }).optional(),
    target: NoticeTarget,
    ackDeadlineMinutes: z
      .number({ message: 'Expected ackDeadlineMinutes from 1 to 10080.' })
      .int('Expected ackDeadlineMinutes as whole minutes.')
      .min(1, 'Expected ackDeadlineMinutes from 1 to 10080.')
      .max(10_080, 'Expected ackDeadlineMinutes from 1 to 10080.')
      .optional(),
    person: z
      .strictObject(
        {
          name: text('person.name', 1, 50),
          age: z
            .number({ message: 'Expected person.age from 0 to 130.' })
            .int('Expected person.age in whole years.')
            .min(0, 'Expected person.age from 0 to 130.')
            .max(130, 'Expected person.age from 0 to 130.')
            .optional(),
          sex: z.enum(['male', 'female'], { message: 'Expected person.sex: male or female.' }).optional(),
          clothing: z.string({ message: 'Expected person.clothing as text.' }).max(500, 'Expected person.clothing of at most 500 characters.').optional(),
          lastSeenAt: z.iso.datetime({ offset: true, message: 'Expected person.lastSeenAt as an ISO 8601 date-time with offset.' }).optional(),
          lastSeen: point('person.lastSeen').optional(),
        },
        { message: 'Expected person as { name, age, sex, clothing, lastSeenAt, lastSeen }.' },
      )
      .optional(),
    attachments: attachmentIds.optional(),
  })
  .refine((b) => b.kind !== 'missing-person' || b.person !== undefined, { message: 'Expected person for a missing-person notice.', path: ['person'] })
export type NewNotice = z.infer<typeof NewNoticeBody>

export const ReplyBody = z
  .strictObject({
    kind: z.enum(['clue', 'not-found'], { message: 'Expected kind: clue or not-found.' }),
    text: z.string({ message: 'Expected text.' }).max(2000, 'Expected text of at most 2000 characters.').default(''),
    location: point('location').optional(),
    attachments: attachmentIds.optional(),
  })
  .refine((b) => b.kind !== 'clue' || b.text.trim() !== '' || (b.attachments?.length ?? 0) > 0, {
    message: 'Expected text or a photo for a clue.',
    path: ['text'],
  })
export type NewReply = z.infer<typeof ReplyBody>

export const CloseBody = z.strictObject({
  outcome: z.enum(['found', 'cancelled'], { message: 'Expected outcome: found or cancelled.' }),
  note: text('note', 1, 1000),
})

export const RemindBody = z.strictObject({}).optional()

export const NoticeIdParams = z.object({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/, 'Expected id as a positive integer.')
    .transform(Number),
})

export const NoticeListQuery = z.strictObject({
  status: z.enum(['active', 'closed'], { message: 'Expected status: active or closed.' }).optional(),
})

export const NoticeDetailQuery = z.strictObject({
  level: z.enum(['2', '3', '4', '5'], { message: 'Expected level from 2 to 5.' }).transform(Number).optional(),
  geometry: z.enum(['0', '1'], { message: 'Expected geometry as 0 or 1.' }).optional(),
})

export interface Progress {
  recipients: number
  delivered: number
  read: number
  acknowledged: number
  searched: number
  clues: number
  /** Grids (household groups and villager groups) of the target, and how many have been searched or given a clue. */
  cells: number
  cellsSearched: number
}

export interface NoticeFigures {
  /** Seconds from sending until 50 %, 90 % and 100 % of the recipients acknowledged; null until reached. */
  ack50: number | null
  ack90: number | null
  ack100: number | null
  /** Share (0–1) of the target's grids searched (not found or a clue). */
  searchedShare: number
}

export interface NoticeSummary {
  id: number
  kind: NoticeKind
  priority: Priority
  title: string
  status: 'active' | 'closed'
  createdAt: string
  ackDeadline: string
  closedAt: string | null
  closeOutcome: 'found' | 'cancelled' | null
  senderName: string
  target: { grids: string[] } | { point: { lon: number; lat: number }; radiusM: number }
  recipients: number
}

export interface MissingPerson {
  name: string
  age: number | null
  sex: 'male' | 'female' | null
  clothing: string
  lastSeenAt: string | null
  lastSeen: { lon: number; lat: number } | null
  masked: boolean
}

export interface CellProgress {
  code: string
  name: string
  level: number
  recipients: number
  acknowledged: number
  cells: number
  searched: number
  clues: number
  state: CellState
  geometry?: unknown
}

export interface Clue {
  id: number
  at: string
  kind: 'clue' | 'not-found'
  cellCode: string
  cellName: string
  author: string
  text: string
  location: { lon: number; lat: number } | null
  attachments: number[]
}

export interface PendingRecipient {
  personId: number
  cellCode: string
  cellName: string
  role: string
  name: string
  /** The work phone, whole: the sender's role calls it. */
  phone: string
  deliveredAt: string | null
  readAt: string | null
  remindedAt: string | null
  reminders: number
}

export interface TimelineEntry {
  at: string
  action: string
  cellCode: string | null
  note: string
}

export interface OutboundView {
  channel: string
  action: string
  status: 'pending' | 'sent' | 'failed'
  attempts: number
  lastError: string | null
  recipients: number
  updatedAt: string
}

export interface NoticeDetail extends NoticeSummary {
  body: string
  person: MissingPerson | null
  attachments: number[]
  closeNote: string | null
  progress: Progress
  figures: NoticeFigures
  level: number
  byCell: CellProgress[]
  clues: Clue[]
  timeline: TimelineEntry[]
  /** The recipients who have not acknowledged (sender roles only, inside their scope); null for other roles. */
  pending: PendingRecipient[] | null
  /** The acknowledgement deadline has passed. */
  pastDeadline: boolean
  outbound: OutboundView[]
  /** The target's outline (GeoJSON geometry) for the wall and the map. */
  outline: unknown
  /** The signed-in recipient's own state, when they received it. */
  mine: InboxState | null
}

export interface InboxState {
  deliveredAt: string | null
  readAt: string | null
  ackedAt: string | null
  searchedAt: string | null
  clueAt: string | null
}

export interface InboxItem extends NoticeSummary, InboxState {
  body: string
}

/** What a notice event carries on the live feed (no personal data). */
export interface NoticeLiveEvent {
  id: number
  noticeId: number
  at: string
  action: string
  notice: NoticeSummary
  progress: Progress
}
