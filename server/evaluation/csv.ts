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

export function cellsCsv(rows: EvaluatedRow[]): string {
  const head = ['code', 'name', 'level', 'parentCode', ...COUNT_KEYS, ...SCORED_INDICATORS, 'score', 'rank', 'peers', 'pulledDownBy']
  const body = rows.map((r) =>
    line([
      r.code,
      r.name,
      r.level,
      r.parentCode,
      ...COUNT_KEYS.map((k) => r.counts[k]),
      ...SCORED_INDICATORS.map((k) => r.indicators[k]),
      r.score,
      r.rank,
      r.peers,
      r.pulledDownBy,
    ]),
  )
  return '\uFEFF' + [line(head), ...body].join('\r\n') + '\r\n'
}

export function workersCsv(rows: EvaluatedWorker[]): string {
  const head = ['cellCode', 'cellName', 'villagerGroup', 'worker', ...COUNT_KEYS, ...SCORED_INDICATORS, 'score', 'rank', 'peers', 'pulledDownBy']
  const body = rows.map((r) =>
    line([
      r.cellCode,
      r.cellName,
      r.villagerGroup,
      r.worker,
      ...COUNT_KEYS.map((k) => r.counts[k]),
      ...SCORED_INDICATORS.map((k) => r.indicators[k]),
      r.score,
      r.rank,
      r.peers,
      r.pulledDownBy,
    ]),
  )
  return '\uFEFF' + [line(head), ...body].join('\r\n') + '\r\n'
}
