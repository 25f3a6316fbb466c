/**
 * Structured logging: one JSON object per line (pino), so logs can be shipped and queried.
 * Never log request bodies, personal data or secrets; log codes, counts and durations. As a
 * second line of defence, pino removes the fields that would carry them wherever they appear
 * (residents' names, phones and ID numbers, passwords, tokens, cookies, and the bound parameters
 * a database error carries); database errors lose every field that can quote a value.
 */
import { pino, type DestinationStream } from 'pino'

const SECRET_FIELDS = ['password', 'token', 'cookie', 'authorization', 'parties', 'phone', 'idNumber', 'id_number', 'reason', 'parameters', 'args']
export const REDACTED_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((field) => `*.${field}`),
  ...SECRET_FIELDS.map((field) => `*.*.${field}`),
  'req.headers.cookie',
  'headers.cookie',
  'headers["set-cookie"]',
  'res.headers["set-cookie"]',
]

/**
 * Fields of a database driver error (postgres.js PostgresError) that can carry a statement's
 * values: the bound parameters, and PostgreSQL's detail ("Failing row contains (…)"), hint, where
 * ("JSON data, line 1: …" quotes the whole parameter) and internal query.
 */
const DRIVER_FIELDS_WITH_VALUES = ['detail', 'hint', 'where', 'internal_query', 'parameters', 'args', 'types']
/** A quoted part of a message that is not a plain SQL identifier is a value (invalid input syntax for type …: "13800138000"). */
const QUOTED_VALUE = /"(?![A-Za-z_][A-Za-z0-9_$.]*")[^"]*"/g

function isDriverError(error: unknown): boolean {
  const e = error as { name?: unknown; severity?: unknown; code?: unknown } | null
  return !!e && (e.name === 'PostgresError' || (typeof e.severity === 'string' && typeof e.code === 'string'))
}

/** pino's error serializer, with a driver error's values removed (its code, routine and SQL text stay). */
export function serializeError(error: unknown): Record<string, unknown> {
  const out = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>
  if (!isDriverError(error)) return out
  for (const field of DRIVER_FIELDS_WITH_VALUES) if (field in out) out[field] = '[redacted]'
  for (const field of ['message', 'stack']) if (typeof out[field] === 'string') out[field] = (out[field] as string).replace(QUOTED_VALUE, '"[redacted]"')
  return out
}

export function createLogger(destination?: DestinationStream) {
  const options = {
    level: process.env.LOG_LEVEL ?? 'info',
    base: { service: 'gridscope' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { err: serializeError, error: serializeError },
  }
  return destination ? pino(options, destination) : pino(options)
}

export const log = createLogger()

export type Logger = typeof log
