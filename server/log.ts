/**
 * Structured logging: one JSON object per line (pino), so logs can be shipped and queried.
 * Never log request bodies, personal data or secrets; log codes, counts and durations.
 */
import { pino } from 'pino'

export const log = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { service: 'gridscope' },
  timestamp: pino.stdTimeFunctions.isoTime,
})

export type Logger = typeof log
