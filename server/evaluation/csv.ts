/**
 * CSV of an evaluation (UTF-8 with a BOM so Excel reads the Chinese): one row per cell or worker,
 * its counts, indicators, score, rank and the indicator that pulled it down.
 */
import { SCORED_INDICATORS } from './indicators.ts'
import type { EvaluatedRow, EvaluatedWorker } from './queries.ts'

const COUNT_KEYS = [
  'reports',
  'registered',
  'handled',
  'handledOnTime',
  'closed',
  'reopened',
  'overdue',
  'closedInGrid',
  'closedInTown',
  'disputes',
  'disputesClosed',
  'groups',
  'days',
  'patrolGroupDays',
  'noticeRecipients',
  'noticeAcked',
  'noticeAckedOnTime',
  'meanHoursToAck',
] as const

function field(value: unknown): string {
  if (value === null || value === undefined) return ''
  const text = String(value)
  // A leading =, +, - or @ would be a formula in a spreadsheet.
  const safe = /^[=+\-@]/.test(text) && Number.isNaN(Number(text)) ? `'${text}` : text
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}

const line = (values: unknown[]) => values.map(field).join(',')

/** The columns after the identifying ones, the same for cells and workers. */
const FIGURE_HEAD = [...COUNT_KEYS, ...SCORED_INDICATORS, 'score', 'rank', 'peers', 'pulledDownBy']
type Scored = Pick<EvaluatedRow, 'counts' | 'indicators' | 'score' | 'rank' | 'peers' | 'pulledDownBy'>
const figures = (r: Scored) => [
  ...COUNT_KEYS.map((k) => r.counts[k]),
  ...SCORED_INDICATORS.map((k) => r.indicators[k]),
  r.score,
  r.rank,
  r.peers,
  r.pulledDownBy,
]

/** A UTF-8 CSV with a byte-order mark (so Excel reads the Chinese) and CRLF line ends. */
const csv = (head: string[], body: unknown[][]) => '\uFEFF' + [line(head), ...body.map(line)].join('\r\n') + '\r\n'

export function cellsCsv(rows: EvaluatedRow[]): string {
  return csv(
    ['code', 'name', 'level', 'parentCode', ...FIGURE_HEAD],
    rows.map((r) => [r.code, r.name, r.level, r.parentCode, ...figures(r)]),
  )
}

export function workersCsv(rows: EvaluatedWorker[]): string {
  return csv(
    ['cellCode', 'cellName', 'villagerGroup', 'worker', ...FIGURE_HEAD],
    rows.map((r) => [r.cellCode, r.cellName, r.villagerGroup, r.worker, ...figures(r)]),
  )
}
