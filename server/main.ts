/**
 * `npm start`: builds the web client if needed, starts Gridscope on one port and stops cleanly
 * on Ctrl-C or SIGTERM. Problems an operator can fix end the process with one sentence.
 *
 * `WORKERS=n` (PostgreSQL only) runs n API processes sharing the port (node:cluster): this
 * process migrates and seeds the database and builds the client once, then forks the workers,
 * replaces one that dies, and on SIGTERM stops them all. Everything the workers must agree on
 * lives in PostgreSQL (sessions, rate limits, live streams per session, idempotency keys, the
 * notice outbox); the live feed and the tile caches hear each other by LISTEN/NOTIFY.
 */
import cluster, { type Worker } from 'node:cluster'
import { readConfig, StartupError, type Config } from './config.ts'
import { log } from './log.ts'
import { prepareDatabase, startServer } from './server.ts'
import { ensureWebBuilt } from './web-build.ts'
import { progressReporter } from './progress.ts'

interface Listening {
  type: 'gridscope-listening'
  url: string
  wallUrl?: string
}

async function main(): Promise<void> {
  const config = readConfig()
  if (config.WORKERS > 1 && cluster.isPrimary) return supervise(config)
  const worker = cluster.isWorker ? Number(process.env.GRIDSCOPE_WORKER) : 0
  // The demo's background work runs in one worker only.
  const own = worker > 1 ? { ...config, SIMULATOR: 'off' as const, DEMO_PATROLS: 'off' as const } : config
  const server = await startServer(own, { onSeedProgress: progressReporter('seed'), beforeListen: worker ? undefined : ensureWebBuilt })
  log.info({ url: server.url, database: server.db.mode, worker: worker || undefined }, 'Gridscope is running')
  if (worker) process.send?.({ type: 'gridscope-listening', url: server.url, wallUrl: server.wallUrl } satisfies Listening)
  else announce(server.url, server.wallUrl)
  onStopSignal(async () => {
    await server.close()
  })
}

function announce(url: string, wallUrl: string | undefined, workers = 1): void {
  process.stdout.write(`\nGridscope 网格态势 is running${workers > 1 ? ` (${workers} API processes)` : ''}: open ${url}\n\n`)
  // The token is a secret: printed for the operator, never logged.
  if (wallUrl)
    process.stdout.write(`Demo users (password gridscope-demo): commander, dianhai, dianhai-community, gridworker, analyst\nDemo wall display: ${wallUrl}\n\n`)
}

/** A worker that dies this soon after it started, this many times in a row, stops the whole server. */
const EARLY_DEATH_MS = 10_000
const EARLY_DEATHS = 3

async function supervise(config: Config): Promise<void> {
  const db = await prepareDatabase(config, progressReporter('seed'))
  await db.close()
  await ensureWebBuilt()
  let stopping = false
  let earlyDeaths = 0
  let announced = false
  const started = new Map<Worker, { slot: number; at: number }>()
  const fork = (slot: number) => started.set(cluster.fork({ GRIDSCOPE_WORKER: String(slot) }), { slot, at: Date.now() })
  const listening = new Set<number>()
  cluster.on('message', (worker, message: Listening) => {
    if (message?.type !== 'gridscope-listening') return
    listening.add(started.get(worker)?.slot ?? 0)
    if (!announced && listening.size === config.WORKERS) {
      announced = true
      log.info({ url: message.url, workers: config.WORKERS }, 'Gridscope is running')
      announce(message.url, message.wallUrl, config.WORKERS)
    }
  })
  cluster.on('exit', (worker, code, signal) => {
    const info = started.get(worker)
    started.delete(worker)
    if (stopping || !info) return
    earlyDeaths = Date.now() - info.at < EARLY_DEATH_MS ? earlyDeaths + 1 : 0
    if (earlyDeaths >= EARLY_DEATHS) {
      log.fatal({ code, signal }, 'API processes keep failing at start; stopping')
      stopping = true
      for (const other of started.keys()) other.process.kill('SIGTERM')
      process.exitCode = 1
      return
    }
    log.warn({ worker: info.slot, code, signal }, 'an API process ended; starting another')
    fork(info.slot)
  })
  for (let slot = 1; slot <= config.WORKERS; slot++) fork(slot)
  onStopSignal(async () => {
    stopping = true
    const exits = [...started.keys()].map((worker) => new Promise<void>((resolve) => worker.once('exit', () => resolve())))
    for (const worker of started.keys()) worker.process.kill('SIGTERM')
    await Promise.all(exits)
  })
}

function onStopSignal(close: () => Promise<void>): void {
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    log.info({ signal }, 'stopping')
    // Each shutdown step is bounded (server.ts); this is the last resort.
    setTimeout(() => {
      log.error('shutdown did not finish in time; exiting')
      process.exit(1)
    }, 30_000).unref()
    await close()
    log.info('stopped')
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}

main().catch((error) => {
  if (error instanceof StartupError) {
    process.stderr.write(`Gridscope cannot start: ${error.message}\n`)
  } else {
    log.fatal({ err: error }, 'start-up failed')
  }
  process.exit(1)
})
