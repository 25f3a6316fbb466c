/**
 * DATABASE_READ_URL with a real streaming replica: two throwaway PostgreSQL clusters on loopback
 * (a primary, and a hot standby made from it with pg_basebackup), both stopped at the end. Read
 * routes read the replica and the drawer reads the primary (shown with the replica's replay
 * paused); the lag is in /api/health and /metrics; the replica stopped, reads fall back to the
 * primary within seconds.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createApp } from '../../server/app.ts'
import { readConfig } from '../../server/config.ts'
import type { Database } from '../../server/db/connect.ts'
import { openDatabase } from '../../server/db/connect.ts'
import { prepareDatabase } from '../../server/server.ts'
import { asViewer, signIn, type RequestTarget } from '../support/auth.ts'
import { freePort } from '../support/nginx.ts'

const BIN = '/usr/lib/postgresql/15/bin'
const asPostgres = (tool: string, args: string[]) => {
  const run = spawnSync('runuser', ['-u', 'postgres', '--', join(BIN, tool), ...args], { encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`${tool}: ${run.stderr || run.stdout}`)
}
// A replica is a second PostgreSQL cluster made by pg_basebackup (PostgreSQL's own tools, run as
// the postgres user): the embedded database has no replication, and without root or the tools
// the throwaway clusters cannot be made.
const canCluster = existsSync(join(BIN, 'pg_basebackup')) && process.getuid?.() === 0
describe.skipIf(inject('databaseMode') !== 'external' || !canCluster)('a read replica (PostgreSQL streaming replica, hot standby)', () => {
  let dir: string
  let primaryPort: number
  let replicaPort: number
  let db: Database
  let app: RequestTarget
  let point: { lon: number; lat: number }
  const url = (port: number) => `postgres://postgres@127.0.0.1:${port}/gridscope`
  const start = (data: string, port: number, extra: string[] = []) =>
    asPostgres('pg_ctl', [
      '-D',
      data,
      '-l',
      `${data}.log`,
      '-w',
      '-o',
      [`-p ${port}`, '-c listen_addresses=127.0.0.1', `-k ${dir}`, '-c fsync=off', ...extra].join(' '),
      'start',
    ])
  const stop = (data: string) => spawnSync('runuser', ['-u', 'postgres', '--', join(BIN, 'pg_ctl'), '-D', data, '-m', 'immediate', 'stop'])

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gridscope-replica-'))
    await chmod(dir, 0o777)
    ;[primaryPort, replicaPort] = [await freePort(), await freePort()]
    asPostgres('initdb', ['-D', join(dir, 'primary'), '-A', 'trust', '-U', 'postgres', '--encoding=UTF8', '--locale=C.UTF-8'])
    start(join(dir, 'primary'), primaryPort, ['-c wal_level=replica', '-c max_wal_senders=4'])
    asPostgres('createdb', ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', 'gridscope'])
    const config = readConfig({ DATABASE_URL: url(primaryPort), LOG_LEVEL: 'warn', DEMO_HISTORY: 'off' })
    await (await prepareDatabase(config)).close()
    asPostgres('pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      String(primaryPort),
      '-U',
      'postgres',
      '-D',
      join(dir, 'replica'),
      '-X',
      'stream',
      '-R',
      '-c',
      'fast',
    ])
    start(join(dir, 'replica'), replicaPort, ['-c hot_standby=on'])
    db = await openDatabase(
      readConfig({ DATABASE_URL: url(primaryPort), DATABASE_READ_URL: url(replicaPort), REPLICA_MAX_LAG_SECONDS: '3600', LOG_LEVEL: 'warn' }),
    )
    app = asViewer(createApp(db, { metrics: {} }), await signIn(db))
    const [cell] = await db.sql<{ lon: number; lat: number }[]>`
      select ST_X(label_point) as lon, ST_Y(label_point) as lat from grid_cell where level = 5 order by code limit 1`
    point = cell!
  }, 240_000)

  afterAll(async () => {
    await db?.close()
    if (dir) {
      stop(join(dir, 'replica'))
      stop(join(dir, 'primary'))
      await rm(dir, { recursive: true, force: true })
    }
  })

  const health = async () => (await (await app.request('/api/health')).json()).replica as { reads: string; up: boolean; lagSeconds: number | null }
  const summaryTotal = async () => {
    const res = await app.request('/api/incidents/summary')
    expect(res.status).toBe(200)
    return ((await res.json()) as { total: number }).total
  }

  it('reads routes from the replica and the drawer from the primary; the lag shows in /api/health and /metrics', async () => {
    await expect.poll(health, { timeout: 30_000 }).toEqual({ reads: 'replica', up: true, lagSeconds: 0 })
    const before = await summaryTotal()
    const replica = postgres(url(replicaPort), { max: 1, onnotice: () => {} })
    try {
      await replica`select pg_wal_replay_pause()`
      const res = await app.request('/api/incidents', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ category: 'environment.garbage', severity: 1, title: '副本延迟', location: point }),
      })
      expect(res.status).toBe(201)
      const { id } = (await res.json()) as { id: number }
      // The reporter's own case: from the primary at once.
      expect((await app.request(`/api/incidents/${id}`)).status).toBe(200)
      // The analyst's summary: from the replica, which has not replayed the report yet.
      expect(await summaryTotal()).toBe(before)
      await expect.poll(async () => (await health()).lagSeconds ?? 0, { timeout: 30_000 }).toBeGreaterThan(0)
      expect(await (await app.request('/metrics')).text()).toMatch(/gridscope_replica_lag_seconds \d/)
      await replica`select pg_wal_replay_resume()`
      await expect.poll(summaryTotal, { timeout: 30_000 }).toBe(before + 1)
      await expect.poll(async () => (await health()).lagSeconds, { timeout: 30_000 }).toBe(0)
    } finally {
      await replica.end()
    }
  })

  it('the replica stopped: reads fall back to the primary within seconds, and /api/health stays 200', async () => {
    stop(join(dir, 'replica'))
    await expect.poll(health, { timeout: 15_000 }).toEqual({ reads: 'primary', up: false, lagSeconds: null })
    expect((await app.request('/api/health')).status).toBe(200)
    expect(await summaryTotal()).toBeGreaterThan(0)
    expect((await app.request('/tiles/grids/10/829/449.mvt')).status).toBeLessThan(300)
    expect(await (await app.request('/metrics')).text()).toMatch(/gridscope_replica_up 0/)
  })
})
