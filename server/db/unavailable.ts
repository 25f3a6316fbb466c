/**
 * Tells a database that is down, unreachable, restarting or too busy (a 503 the client may retry,
 * with Retry-After) from a fault of the request or the code (a 500). postgres.js reports network
 * failures with Node's error codes and its own CONNECT_TIMEOUT / CONNECTION_* codes; PostgreSQL
 * with SQLSTATEs: class 08 (connection), 57P01–57P03 (shutting down, starting), 53300 (too many
 * connections), 57014 (statement timeout), 25P03 (idle-in-transaction timeout).
 */
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'EAI_AGAIN',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'DATABASE_BUSY',
])
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '57014', '25P03'])

export function isDatabaseUnavailable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code !== 'string') return false
  return NETWORK.has(code) || SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)
}

/** Seconds a client should wait before retrying against a database that is unavailable. */
export const RETRY_AFTER_SECONDS = 5

/** Rejects with a DATABASE_BUSY error when `work` takes longer than `ms` (the work itself goes on). */
export async function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer from the database within ${ms} ms`), { code: 'DATABASE_BUSY' })), ms)
  })
  try {
    return await Promise.race([work, late])
  } finally {
    clearTimeout(timer)
  }
}
