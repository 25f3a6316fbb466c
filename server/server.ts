/**
 * Starts the whole product in one process: database (embedded or external), migrations, demo
 * seed on an empty database, the web client build if it is missing or stale, and the HTTP
 * server serving API and client from one port. Used by main.ts, the dev server and the tests.
 */
import { randomUUID } from 'node:crypto'
import { createServer } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import { createApp } from './app.ts'
import { BasemapArchiveError, openBasemap } from './basemap/archive.ts'
import { StartupError, type Config } from './config.ts'
import { openDatabase, type Database } from './db/connect.ts'
import { migrate } from './db/migrate.ts'
import { seedDemo, type SeedProgress } from './demo/seed.ts'
import { startSimulator } from './demo/simulator.ts'
import { demoWallUrl, issueDemoWallToken, seedDemoUsers } from './demo/users.ts'
import { loadCategories } from './incidents/categories.ts'
import { LiveHub } from './incidents/live.ts'
import { IncidentStatsRefresher, STATS_CHANNEL } from './incidents/stats.ts'
import { CountingTileCache } from './metrics/metrics.ts'
import { applyTransition, createIncident, escalateOverdue } from './incidents/service.ts'
import { escalateUnregistered } from './incidents/register-deadline.ts'
import { seedDemoDepartments } from './demo/departments.ts'
import { mountWebClient } from './http/static.ts'
import { log } from './log.ts'
import { accessOptionsFrom } from './access/index.ts'
import { endLockConnections } from './access/shared-limits.ts'
import { forgetViewers, purgeExpiredSessions } from './access/sessions.ts'
import { listenForEndedSessions } from './access/session-events.ts'
import { trustProxies } from './access/client-ip.ts'
import { endOpenStreams } from './http/stream-guard.ts'
import { createNotices } from './notices/index.ts'
import { channelsFrom } from './notices/channels.ts'
import { startPatrolRetention } from './patrols/retention.ts'
import { startDemoPatrolSeeding } from './demo/patrols.ts'

/** Tells this process's own NOTIFYs from others' (pids repeat across machines). */
const PROCESS_ID = randomUUID()

export interface RunningServer {
  url: string
  /** The demo wall display's link (embedded demo / DEMO_USERS=on), printed at start-up. */
  wallUrl?: string
  port: number
  db: Database
  close(): Promise<void>
}

export interface StartOptions {
  /** Serve web/dist from the same port (the dev server serves the client itself). */
  serveWeb?: boolean
  onSeedProgress?: SeedProgress
  /** Work to finish after the database is ready and before listening (e.g. the web build). */
  beforeListen?: () => Promise<void>
}

export async function prepareDatabase(config: Config, onSeedProgress?: SeedProgress): Promise<Database> {
  log.level = config.LOG_LEVEL
  const db = await openDatabase(config)
  try {
    // Several API processes starting at once (WORKERS=n, systemd instances) migrate and seed one
    // after another: the first does the work, the others find it done.
    const applied = await oneAtATime(db, async () => {
      const applied = await migrate(db.sql)
      await loadCategories(db.sql)
      // The demo's departments before its history, whose dispatches name them.
      if (config.DEMO_USERS === 'on') await seedDemoDepartments(db.sql)
      await seedDemo(db.sql, { sourceDir: config.SOURCE_DIR, history: config.DEMO_HISTORY }, onSeedProgress)
      return applied
    })
    log.info({ mode: db.mode, migrationsApplied: applied.length }, 'database ready')
    return db
  } catch (error) {
    await db.close().catch(() => {})
    throw error
  }
}

const START_LOCK_KEY = 0x67726973 // "gris"

/** Runs `work` holding a session advisory lock (PostgreSQL); the embedded database has one process. */
async function oneAtATime<T>(db: Database, work: () => Promise<T>): Promise<T> {
  if (db.mode !== 'external') return work()
  const lock = await db.sql.reserve()
  try {
    await lock`select pg_advisory_lock(${START_LOCK_KEY})`
    return await work()
  } finally {
    await lock`select pg_advisory_unlock(${START_LOCK_KEY})`.catch(() => {})
    lock.release()
  }
}

export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  await assertPortFree(config.HOST, config.PORT)
  trustProxies(config.TRUSTED_PROXIES)
  // The basemap archive is read before the database is touched: a wrong file stops the start at once.
  const basemap = await openBasemap(config.basemap).catch((error) => {
    throw error instanceof BasemapArchiveError ? new StartupError(error.message) : error
  })
  const db = await prepareDatabase(config, options.onSeedProgress)
  try {
    await options.beforeListen?.()
  } catch (error) {
    await db.close()
    throw error
  }
  // Other processes' commits arrive by NOTIFY on PostgreSQL; the embedded database has one process.
  const liveHub = new LiveHub(db.sql, db.mode === 'external')
  const tileCache = new CountingTileCache()
  const external = db.mode === 'external'
  // Tiles carry the figures: a refresh in any process empties every process's tile cache.
  const stats = new IncidentStatsRefresher(db.sql, () => {
    tileCache.invalidate()
    if (external) db.sql.notify(STATS_CHANNEL, PROCESS_ID).catch((error) => log.warn({ err: error }, 'tile caches of other processes not told'))
  })
  const statsHeard = external ? await db.sql.listen(STATS_CHANNEL, (from) => from !== PROCESS_ID && tileCache.invalidate()) : null
  await stats.refresh()
  // The demo is alive from the first start: new reports and moving cases every few seconds.
  const simulator =
    config.SIMULATOR === 'on' ? startSimulator({ sql: db.sql, createIncident, applyTransition, intervalMs: config.SIMULATOR_INTERVAL_MS }) : null
  const wallToken = config.DEMO_USERS === 'on' ? (await seedDemoUsers(db.sql), await seedDemoDepartments(db.sql), await issueDemoWallToken(db.sql)) : undefined
  await purgeExpiredSessions(db.sql)
  let channels: ReturnType<typeof channelsFrom>
  try {
    channels = channelsFrom(config)
  } catch (error) {
    await db.close()
    throw new StartupError(`Setting NOTICE_CHANNELS is invalid (${(error as Error).message}); fix it in the environment or .env.`)
  }
  const notices = createNotices(db.sql, { outbound: { channels }, listen: db.mode === 'external' })
  // Sessions ended by other processes (a second API process, `npm run user -- disable`) end live streams here too.
  const unlistenSessions = db.mode === 'external' ? await listenForEndedSessions(db.sql, forgetViewers) : null
  const app = createApp(db, {
    liveHub,
    tileCache,
    notices,
    access: accessOptionsFrom(config),
    streams: { writeTimeoutMs: config.STREAM_WRITE_TIMEOUT_MS },
    metrics: { token: config.METRICS_TOKEN },
    basemap,
    extend: options.serveWeb === false ? undefined : (app) => mountWebClient(app),
  })
  const stopRetention = startPatrolRetention(db.sql, config.PATROL_RETENTION_DAYS)
  // Cases past their due time move one level up (several processes may run this: SKIP LOCKED).
  const escalation = setInterval(() => {
    escalateOverdue(db.sql).then(
      (n) => n && log.info({ escalated: n }, 'overdue cases escalated'),
      (error) => log.warn({ err: error }, 'automatic escalation failed'),
    )
    escalateUnregistered(db.sql).then(
      (n) => n && log.info({ escalated: n }, 'cases not registered in time escalated'),
      (error) => log.warn({ err: error }, 'automatic escalation of unregistered cases failed'),
    )
  }, config.ESCALATION_INTERVAL_MS).unref()
  let server: ServerType
  const port = await new Promise<number>((resolve, reject) => {
    server = serve({ fetch: app.fetch, hostname: config.HOST, port: config.PORT }, (info) => resolve(info.port))
    server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? portInUse(config.PORT) : error))
  }).catch(async (error) => {
    await db.close()
    throw error
  })
  // Demo patrols fill in after the server is listening, a day at a time between requests.
  const demoPatrols = config.DEMO_PATROLS === 'on' ? startDemoPatrolSeeding(db.sql) : null
  const host = config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST
  return {
    url: `http://${host}:${port}/`,
    wallUrl: wallToken ? demoWallUrl(`http://${host}:${port}/`, wallToken) : undefined,
    port,
    db,
    async close() {
      clearInterval(escalation)
      stopRetention()
      await bounded(demoPatrols?.stop(), 'demo patrols')
      // Open exports and live streams end first, so no client keeps the server waiting.
      endOpenStreams()
      const stopping = new Promise<void>((resolve) => {
        server.close(() => resolve())
        // closeAllConnections ends keep-alive and streaming responses so shutdown never hangs.
        if ('closeAllConnections' in server) server.closeAllConnections()
      })
      // Each step is bounded: a database that does not answer must not keep the process alive.
      await bounded(simulator?.stop(), 'simulator')
      await bounded(demoPatrols?.stop(), 'demo patrols')
      await bounded(liveHub.stop(), 'live feed')
      await bounded(notices.stop(), 'notices')
      await bounded(stats.stop(), 'statistics')
      await bounded(statsHeard?.unlisten(), 'statistics listener')
      await bounded(unlistenSessions?.(), 'session listener')
      await bounded(stopping, 'HTTP server')
      await bounded(endLockConnections(), 'lock connection')
      await bounded(db.close(), 'database')
    },
  }
}

const SHUTDOWN_STEP_MS = 5000

async function bounded(step: Promise<unknown> | undefined, what: string): Promise<void> {
  if (!step) return
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), SHUTDOWN_STEP_MS)))
  const outcome = await Promise.race([
    step.then(
      () => 'done' as const,
      () => 'done' as const,
    ),
    late,
  ])
  clearTimeout(timer)
  if (outcome === 'late') log.warn({ step: what, ms: SHUTDOWN_STEP_MS }, 'shutdown step did not finish in time; going on')
}

/** Fails before the (slow) database start when the port is taken, with a plain sentence. */
async function assertPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return
  await new Promise<void>((resolve, reject) => {
    const probe = createServer()
    probe.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? portInUse(port) : error))
    probe.listen(port, host, () => probe.close(() => resolve()))
  })
}

function portInUse(port: number): StartupError {
  return new StartupError(`Port ${port} is already in use; stop the program using it or start Gridscope with PORT set to another port.`)
}
