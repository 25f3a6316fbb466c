/**
 * Process configuration: one zod schema over the environment, validated once at start-up.
 * Every setting has a safe default so `npm start` needs no configuration at all; see .env.example.
 */
import { z } from 'zod'
import { BasemapConfigError, parseBasemapConfig, type BasemapConfig } from './basemap/config.ts'

const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  /** API processes serving PORT together (node:cluster); more than 1 needs DATABASE_URL. */
  WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  HOST: z.string().min(1).default('127.0.0.1'),
  /** External PostgreSQL ≥ 15 with PostGIS ≥ 3.3. Unset: the embedded PGlite database. */
  DATABASE_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional()),
  /**
   * A streaming replica (hot standby) of DATABASE_URL for the read routes (tiles, summaries,
   * exports, OGC); writes and reads of one's own change stay on DATABASE_URL.
   */
  DATABASE_READ_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional()),
  /** A replica further behind than this serves no reads (they go to the primary). */
  REPLICA_MAX_LAG_SECONDS: z.coerce.number().min(0).default(30),
  /** Where the embedded database keeps its files between runs. */
  DATA_DIR: z.string().min(1).default('.data/pglite'),
  /** Loopback port of the embedded database's wire-protocol socket; 0 picks a free one. */
  EMBEDDED_DB_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  /** Folder of the county source data the demo grid is generated from. */
  SOURCE_DIR: z.string().min(1).default('data/dianbai'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Upper bound for any single SQL statement, in milliseconds. */
  STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(15000),
  /** Seed 12 months of demo incidents into an empty incident table. */
  DEMO_HISTORY: z
    .enum(['on', 'off'])
    .default('on')
    .transform((v) => v === 'on'),
  /** The live demo simulator (reports and moves cases): on by default for the embedded demo. */
  SIMULATOR: z.enum(['on', 'off']).optional(),
  SIMULATOR_INTERVAL_MS: z.coerce.number().int().min(200).default(3000),
  /** How often cases past their due time are escalated one level. */
  ESCALATION_INTERVAL_MS: z.coerce.number().int().min(1000).default(60_000),
  /** Access: sign-in attempts per IP and username, and writes per session, per minute. */
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  /** Sign-in attempts per username from all addresses, and per address for all usernames, per minute. */
  LOGIN_RATE_LIMIT_PER_USER_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  LOGIN_RATE_LIMIT_PER_ADDRESS_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  WRITE_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(300),
  API_TOKEN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
  /** An export or live stream whose client has not taken a chunk for this long is cut off. */
  STREAM_WRITE_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  SESSION_TTL_HOURS: z.coerce.number().min(0.01).default(12),
  WALL_SESSION_TTL_HOURS: z.coerce.number().min(0.01).default(720),
  /** Patrol tracks (personal data) are deleted this many days after the patrol ended. */
  PATROL_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  /** 30 days of demo patrols, seeded in the background after start: on by default only on the embedded demo. */
  DEMO_PATROLS: z.enum(['on', 'off']).optional(),
  /** Demo users with the passwords in the README: on by default only on the embedded demo. */
  DEMO_USERS: z.enum(['on', 'off']).optional(),
  /**
   * Addresses of proxies in front of the API (nginx: 127.0.0.1), comma-separated: from them the
   * client's address is read from X-Forwarded-For (rate limits, audit). Empty: the socket's.
   */
  TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((s) =>
      s
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.ipv4().or(z.ipv6()))),
  /** Bearer token that reads /metrics; without it /metrics answers only on loopback, not through a proxy. */
  METRICS_TOKEN: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(16, 'Expected at least 16 characters').optional()),
  /** Outbound channels of area notices, comma-separated: log (default), webhook (needs NOTICE_WEBHOOK_URL). */
  NOTICE_CHANNELS: z
    .string()
    .regex(/^(log|webhook)(,(log|webhook))*$/, 'Expected log, webhook or log,webhook')
    .default('log'),
  /** Where the webhook channel POSTs notices (the county's SMS gateway or a work-chat robot). */
  NOTICE_WEBHOOK_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional()),
  /** The basemap under the grid: none, pmtiles:<file>, or an XYZ/WMTS URL template (server/basemap/config.ts). */
  BASEMAP: z.string().optional(),
  /** The tile server's key, filled into {key} of the BASEMAP template (天地图's tk). */
  BASEMAP_KEY: z.string().optional(),
  /** The basemap's coordinate system when it is not WGS 84: gcj02 and bd09 are refused. */
  BASEMAP_CRS: z.string().optional(),
  BASEMAP_ATTRIBUTION: z.string().optional(),
  BASEMAP_MAXZOOM: z.string().optional(),
})

export type Config = Omit<z.infer<typeof ConfigSchema>, 'SIMULATOR' | 'DEMO_USERS' | 'DEMO_PATROLS'> & {
  /** The basemap, parsed and checked from the BASEMAP settings. */
  basemap: BasemapConfig
  SIMULATOR: 'on' | 'off'
  DEMO_USERS: 'on' | 'off'
  DEMO_PATROLS: 'on' | 'off'
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new StartupError(`Setting ${issue.path.join('.')} is invalid (${issue.message}); fix it in the environment or .env.`)
  }
  if (parsed.data.DATABASE_READ_URL && !parsed.data.DATABASE_URL)
    throw new StartupError('Setting DATABASE_READ_URL needs DATABASE_URL: a read replica is a replica of a PostgreSQL primary.')
  if (parsed.data.WORKERS > 1 && !parsed.data.DATABASE_URL)
    throw new StartupError(
      `Setting WORKERS=${parsed.data.WORKERS} needs DATABASE_URL: the embedded database belongs to one process; set DATABASE_URL to a PostgreSQL with PostGIS, or WORKERS=1.`,
    )
  let basemap: BasemapConfig
  try {
    basemap = parseBasemapConfig(parsed.data)
  } catch (error) {
    if (error instanceof BasemapConfigError) throw new StartupError(error.message)
    throw error
  }
  // The simulator runs by default only on the embedded demo database, never on a real one.
  const demo = parsed.data.DATABASE_URL ? 'off' : 'on'
  return {
    ...parsed.data,
    basemap,
    SIMULATOR: parsed.data.SIMULATOR ?? demo,
    DEMO_USERS: parsed.data.DEMO_USERS ?? demo,
    DEMO_PATROLS: parsed.data.DEMO_PATROLS ?? demo,
  }
}

/** A failure the operator can fix; main.ts prints its message as one sentence and exits non-zero. */
export class StartupError extends Error {}
