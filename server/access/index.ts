/**
 * Access control, assembled: the request guards (middleware.ts) and the routes that need the
 * same rate limiters (routes.ts). `createAccess` is called once per app; `guard` must be applied
 * before any route is added. How endpoints apply the viewer's scope: see scope.ts.
 */
import type { Context, Hono } from 'hono'
import type { Config } from '../config.ts'
import type { Sql } from '../db/connect.ts'
import { authenticate, limitBodySize, refuseCrossSiteWrites } from './middleware.ts'
import { RateLimiter, type Limiter } from './rate-limit.ts'
import { openLockConnection, SharedRateLimiter, SharedSlots, type SlotLimits, type StreamSlotSource } from './shared-limits.ts'
import { DEFAULT_STREAM_LIMITS, StreamSlots } from '../http/stream-guard.ts'
import { authRoutes } from './routes.ts'
import { LoginGate } from './login-limits.ts'
import { findViewer, readSessionCookie } from './sessions.ts'

export interface AccessOptions {
  /** Sign-in attempts per client IP and username per minute. */
  loginAttemptsPerMinute: number
  /** Sign-in attempts per username per minute from all addresses, and per address for all usernames. */
  loginAttemptsPerUserPerMinute: number
  loginAttemptsPerAddressPerMinute: number
  /** Password hashes computed at once, and how many may wait (beyond: 503). */
  hashConcurrency: number
  hashQueue: number
  /** Writes (POST, PUT, PATCH, DELETE) per session per minute. */
  writesPerMinute: number
  /** Requests per API token per minute. */
  apiTokenRequestsPerMinute: number
  sessionTtlMs: number
  wallSessionTtlMs: number
  maxBodyBytes: number
  /** How often an open live stream checks that its session still stands. */
  sessionRecheckMs: number
  /** Paths allowed a larger body than maxBodyBytes (photo uploads), each with its own limit. */
  largeBodies: { path: RegExp; maxBytes: number }[]
  /**
   * Rate limits and live streams per session counted in PostgreSQL (shared-limits.ts), so several
   * API processes on one database allow no more than one; off: in this process's memory (the
   * embedded database, which one process owns, and in-memory test apps).
   */
  sharedLimits: boolean
}

const HOUR = 3_600_000

export const DEFAULT_ACCESS: AccessOptions = {
  loginAttemptsPerMinute: 10,
  loginAttemptsPerUserPerMinute: 20,
  loginAttemptsPerAddressPerMinute: 30,
  hashConcurrency: 2,
  hashQueue: 64,
  writesPerMinute: 300,
  apiTokenRequestsPerMinute: 1200,
  sessionTtlMs: 12 * HOUR,
  wallSessionTtlMs: 30 * 24 * HOUR,
  maxBodyBytes: 64 * 1024,
  sessionRecheckMs: 15_000,
  largeBodies: [],
  sharedLimits: false,
}

export function accessOptionsFrom(config: Config): AccessOptions {
  return {
    ...DEFAULT_ACCESS,
    loginAttemptsPerMinute: config.LOGIN_RATE_LIMIT_PER_MINUTE,
    loginAttemptsPerUserPerMinute: config.LOGIN_RATE_LIMIT_PER_USER_PER_MINUTE,
    loginAttemptsPerAddressPerMinute: config.LOGIN_RATE_LIMIT_PER_ADDRESS_PER_MINUTE,
    writesPerMinute: config.WRITE_RATE_LIMIT_PER_MINUTE,
    apiTokenRequestsPerMinute: config.API_TOKEN_RATE_LIMIT_PER_MINUTE,
    sessionTtlMs: config.SESSION_TTL_HOURS * HOUR,
    wallSessionTtlMs: config.WALL_SESSION_TTL_HOURS * HOUR,
    sharedLimits: config.DATABASE_URL !== undefined,
  }
}

export function createAccess(sql: Sql, overrides: Partial<AccessOptions> = {}) {
  const options = { ...DEFAULT_ACCESS, ...overrides }
  const limiter = (name: string, limit: number): Limiter => (options.sharedLimits ? new SharedRateLimiter(sql, name, limit) : new RateLimiter(limit))
  const logins = new LoginGate({
    perAddressAndUser: options.loginAttemptsPerMinute,
    perUser: options.loginAttemptsPerUserPerMinute,
    perAddress: options.loginAttemptsPerAddressPerMinute,
    hashConcurrency: options.hashConcurrency,
    hashQueue: options.hashQueue,
    limiter,
  })
  const writes = limiter('writes', options.writesPerMinute)
  const tokens = limiter('api-token', options.apiTokenRequestsPerMinute)
  // Streams and exports at once: in PostgreSQL when several processes serve it, else in this process.
  const locks = options.sharedLimits ? openLockConnection(sql) : undefined
  const slots = (limits: SlotLimits): StreamSlotSource => {
    if (locks) return new SharedSlots(locks, limits)
    const local = new StreamSlots(limits.perKey, limits.total, limits.what)
    return { acquire: async (c, key) => local.acquire(c, key) }
  }
  const liveStreams = options.sharedLimits ? slots({ name: 'live', perKey: DEFAULT_STREAM_LIMITS.liveStreamsPerSession, what: 'live streams' }) : undefined
  return {
    options,
    guard(app: Hono): void {
      const limit = limitBodySize(options.maxBodyBytes)
      const large = options.largeBodies.map((l) => ({ path: l.path, limit: limitBodySize(l.maxBytes) }))
      app.use('/api/*', (c, next) => (large.find((l) => l.path.test(c.req.path))?.limit ?? limit)(c, next), refuseCrossSiteWrites())
      const auth = authenticate(sql, writes, tokens)
      app.use('/api/*', auth)
      app.use('/tiles/*', auth)
      app.use('/ogc/*', auth)
      app.use('/ogc', auth)
    },
    routes: authRoutes(sql, logins, options),
    /** Per-token request limiter, shared with Open311's api_key. */
    tokens,
    /** Slots for long answers (exports), per key and in all, across processes on PostgreSQL. */
    slots,
    liveSession: {
      recheckMs: options.sessionRecheckMs,
      /** Live streams per session across processes (PostgreSQL); undefined: counted in this process. */
      streams: liveStreams,
      async stillSignedIn(c: Context): Promise<boolean> {
        const token = readSessionCookie(c)
        return token !== undefined && (await findViewer(sql, token)) !== null
      },
    },
  }
}

export type Access = ReturnType<typeof createAccess>
export type { Viewer, Role, UserRole } from './roles.ts'
export { narrowPrefix, requirePermission, scopeFilter, viewerOf, viewerScope } from './scope.ts'
