/**
 * Structured logging: one JSON object per line (pino), so logs can be shipped and queried.
 * Never log request bodies, personal data or secrets; log codes, counts and durations. As a
 * second line of defence, pino removes the fields that would carry them wherever they appear
 * (residents' names, phones and ID numbers, passwords, tokens, cookies, and the bound parameters
 * a database error carries).
 */
import { pino, type DestinationStream } from 'pino'

const SECRET_FIELDS = ['password', 'token', 'cookie', 'authorization', 'parties', 'phone', 'idNumber', 'id_number', 'reason', 'parameters', 'args']
export const REDACTED_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((field) => `*.${field}`),
  ...SECRET_FIELDS.map((field) => `*.*.${field}`),
  'req.headers.cookie', 'headers.cookie', 'headers["set-cookie"]', 'res.headers["set-cookie"]',
]

export function createLogger(destination?: DestinationStream) {
  const options = {
    level: process.env.LOG_LEVEL ?? 'info',
    base: { service: 'gridscope' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  }
  return destination ? pino(options, destination) : pino(options)
}

export const log = createLogger()

export type Logger = typeof log
