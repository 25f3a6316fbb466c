/**
 * Exports at once, counted across API processes (WORKERS=n): the analyst's incident export and the
 * grid export hold advisory locks in PostgreSQL (access/shared-limits.ts). Another process is
 * played by a connection of the test's own that holds the same locks; two app instances are two
 * processes' lock connections.
 */
import type { Hono } from 'hono'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createApp } from '../../server/app.ts'
import { INT8_AS_NUMBER, type Database } from '../../server/db/connect.ts'
import { DEFAULT_STREAM_LIMITS } from '../../server/http/stream-guard.ts'
import { endLockConnections } from '../../server/access/shared-limits.ts'
import { asViewer, signIn } from '../support/auth.ts'
import { connectTestDatabase } from '../support/database.ts'

// The embedded database belongs to one process, which counts its exports in memory (tested in
// no-wedge.test.ts); locks shared between processes exist only on PostgreSQL.
describe.skipIf(inject('databaseMode') !== 'external')('exports at once, across processes (PostgreSQL)', () => {
  // The app runs on a pool of its own, named, so that its backends (its lock connection among
  // them) can be ended as a database restart would, without touching other tests' connections.
  const APP_NAME = 'gridscope-export-slots-test'
  let db: Database
  let other: postgres.Sql
  let own: postgres.Sql
  let app: Hono
  beforeAll(() => {
    db = connectTestDatabase()
    other = postgres(inject('databaseUrl'), { max: 1, onnotice: () => {} })
    own = postgres(inject('databaseUrl'), { max: 6, onnotice: () => {}, connection: { application_name: APP_NAME }, types: { bigint: INT8_AS_NUMBER } })
    app = createApp({ sql: own, mode: 'external', close: () => own.end() }, { access: { sharedLimits: true } })
  })
  afterAll(async () => {
    await endLockConnections()
    await other?.end({ timeout: 5 })
    await own?.end({ timeout: 5 })
    await db?.close()
  })

  const userId = async (username: string) => (await db.sql<{ id: number }[]>`select id from app_user where username = ${username}`)[0]!.id
  const hold = async (lock: string, slots: number) => {
    for (let slot = 0; slot < slots; slot++) await other`select pg_advisory_lock(hashtext(${lock}), ${slot})`
  }
  const unhold = async () => {
    await other`select pg_advisory_unlock_all()`
  }

  it("refuses a user's incident export while another process runs theirs, and takes it once that ends", { timeout: 60_000 }, async () => {
    const analyst = asViewer(app, await signIn(db, 'analyst', '440904004'))
    const id = await userId('test-analyst-440904004')
    const path = '/api/incidents/export?format=csv&range=24h'
    await hold(`exports:user:${id}`, DEFAULT_STREAM_LIMITS.exportsPerUser)
    const refused = await analyst.request(path)
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('5')
    expect((await refused.json()).detail).toContain('for you')
    await unhold()
    const taken = await analyst.request(path)
    expect(taken.status).toBe(200)
    expect([...new Uint8Array(await taken.arrayBuffer()).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
  })

  it('refuses every export once the processes together run as many as allowed', { timeout: 60_000 }, async () => {
    const analyst = asViewer(app, await signIn(db, 'analyst', '440904005'))
    await hold('exports:*', DEFAULT_STREAM_LIMITS.exportsTotal)
    const refused = await analyst.request('/api/incidents/export?format=geojson&range=24h')
    expect(refused.status).toBe(429)
    expect((await refused.json()).detail).toContain(`(${DEFAULT_STREAM_LIMITS.exportsTotal})`)
    await unhold()
    expect((await analyst.request('/api/incidents/export?format=geojson&range=24h')).status).toBe(200)
  })

  it('limits grid exports per viewer and in all across processes', { timeout: 120_000 }, async () => {
    const first = asViewer(app, await signIn(db, 'analyst', '440904006'))
    const second = asViewer(app, await signIn(db, 'analyst', '440904007'))
    const path = '/api/grids/export?format=geojson&level=2'
    await hold(`grid-exports:user:${await userId('test-analyst-440904006')}`, 1)
    expect((await first.request(path)).status).toBe(429)
    const other = await second.request(path)
    expect(other.status).toBe(200)
    expect((await other.json()).features.length).toBeGreaterThan(0)
    await unhold()
    await hold('grid-exports:*', 2)
    const full = await second.request(path)
    expect(full.status).toBe(429)
    expect((await full.json()).detail).toContain('grid exports')
    await unhold()
    expect((await first.request(path)).status).toBe(200)
  })

  it("takes new slots on a new connection after the process's lock connection is lost", { timeout: 60_000 }, async () => {
    const analyst = asViewer(app, await signIn(db, 'analyst', '440904008'))
    const path = '/api/grids/export?format=geojson&level=2'
    expect((await analyst.request(path)).status).toBe(200)
    // The lock connection was held by the first export: end it (with the app's other backends),
    // as a restart of the database would.
    const [ended] = await db.sql<{ n: number; locks: number }[]>`
      select count(pg_terminate_backend(pid))::int as n from pg_stat_activity where application_name = ${APP_NAME}`
    expect(ended!.n).toBeGreaterThan(0)
    await expect.poll(async () => (await analyst.request(path)).status, { timeout: 30_000 }).toBe(200)
    // Taken on the new lock connection and released there: the next viewer's export is not refused.
    expect((await analyst.request(path)).status).toBe(200)
  })
})
