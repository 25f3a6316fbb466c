/**
 * Cold and warm start of `npm start`'s entry point, to the first healthy /api/health, on the
 * embedded database and (when BENCH_DATABASE_URL or DATABASE_URL is set) on PostGIS. Each is
 * also divided by the time a bare process takes to open the same database in the same run. The
 * embedded cold start is measured with and without the demo patrols (DEMO_PATROLS).
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { ensureWebBuilt } from '../../server/web-build.ts'

const ROOT = new URL('../../', import.meta.url).pathname

export interface StartupFigures {
  database: string
  coldMs: number
  /** The embedded demo only: the same cold start without the demo patrols (DEMO_PATROLS=off). */
  coldWithoutPatrolsMs?: number
  warmMs: number
  baselineMs: number
}

function timeProcess(script: string, env: Record<string, string>, untilHealthy: boolean): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: ROOT,
      env: { ...process.env, LOG_LEVEL: 'warn', PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', async (chunk) => {
      out += chunk
      const url = /open (http:\/\/\S+)/.exec(out)?.[1]
      if (!untilHealthy || !url) return
      out = ''
      const res = await fetch(new URL('api/health', url))
      if (res.status === 200) {
        const elapsed = performance.now() - started
        child.once('exit', () => resolve(elapsed))
        child.kill('SIGTERM')
      }
    })
    child.on('exit', (code) => {
      if (!untilHealthy) code === 0 ? resolve(performance.now() - started) : reject(new Error(`${script} exited ${code}`))
    })
  })
}

async function measure(database: string, env: Record<string, string>, reset: () => Promise<void>): Promise<StartupFigures> {
  await reset()
  const coldMs = await timeProcess('server/main.ts', env, true)
  const warm: number[] = []
  const baseline: number[] = []
  for (let i = 0; i < 3; i++) {
    warm.push(await timeProcess('server/main.ts', env, true))
    baseline.push(await timeProcess('test/bench/support/open-database.ts', env, false))
  }
  return { database, coldMs, warmMs: Math.min(...warm), baselineMs: Math.min(...baseline) }
}

export async function benchStartup(): Promise<StartupFigures[]> {
  await ensureWebBuilt()
  const results: StartupFigures[] = []
  const dir = await mkdtemp(join(tmpdir(), 'gridscope-bench-'))
  const dataDir = join(dir, 'pglite')
  const reset = () => rm(dataDir, { recursive: true, force: true })
  const embedded = await measure('embedded PGlite', { DATA_DIR: dataDir, DATABASE_URL: '' }, reset)
  // The demo's 30 days of patrols are generated after the server listens: the cold start with
  // them (the default) against the same start without them shows whether they hold it up.
  await reset()
  embedded.coldWithoutPatrolsMs = await timeProcess('server/main.ts', { DATA_DIR: dataDir, DATABASE_URL: '', DEMO_PATROLS: 'off' }, true)
  results.push(embedded)
  await rm(dir, { recursive: true, force: true })

  const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL
  if (adminUrl) {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} })
    const url = new URL(adminUrl)
    url.pathname = '/gridscope_bench'
    results.push(
      await measure('PostgreSQL + PostGIS', { DATABASE_URL: url.toString() }, async () => {
        await admin.unsafe('drop database if exists gridscope_bench with (force)')
        await admin.unsafe('create database gridscope_bench')
      }),
    )
    await admin.unsafe('drop database if exists gridscope_bench with (force)')
    await admin.end()
  } else {
    console.log('(PostGIS start-up skipped: set BENCH_DATABASE_URL or DATABASE_URL to a PostgreSQL with PostGIS)')
  }
  return results
}
