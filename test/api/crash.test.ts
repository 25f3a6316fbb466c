/**
 * The API is killed with SIGKILL while 500 reports are in flight; the client retries every report
 * that got no answer with the same Idempotency-Key against a restarted API. Every report must be
 * stored exactly once: none lost, none twice.
 */
import { afterAll, describe, expect, inject, it } from 'vitest'
import { commanderApp } from '../support/auth.ts'
import { startApiProcess } from '../support/api-process.ts'
import { connectTestDatabase } from '../support/database.ts'

const db = connectTestDatabase()
afterAll(() => db.close())

const REPORTS = 500
const CONCURRENCY = 25

// On the embedded database the API process is the database: killing it takes PGlite down with
// it, which tests PGlite's crash recovery rather than the API's retries. The API-only crash runs
// where the database outlives the API: an external PostgreSQL (as in CI).
describe.skipIf(inject('databaseMode') !== 'external')('kill -9 during concurrent reports', () => {
  it('stores every retried report exactly once', { timeout: 240_000 }, async () => {
    const app = await commanderApp(db)
    const village = await (await app.request('/api/grids/440904127001')).json()
    const run = `crash-${Date.now()}`
    const body = (i: number) =>
      JSON.stringify({
        category: 'hazard.traffic',
        severity: 2,
        title: `路口信号灯故障 ${i}`,
        location: { lon: village.labelPoint[0], lat: village.labelPoint[1] },
      })

    let api = await startApiProcess()
    const ids = new Map<number, number>()
    const send = async (url: string, i: number): Promise<boolean> => {
      try {
        const res = await fetch(`${url}/api/incidents`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': `${run}-${i}`, cookie: app.cookie },
          body: body(i),
        })
        if (res.status !== 201) return false
        const { id } = await res.json()
        if (ids.has(i)) expect(ids.get(i)).toBe(id) // a retry answers with the first result
        ids.set(i, id)
        return true
      } catch {
        return false // connection refused or reset: the API is gone
      }
    }
    // First wave: a pool of concurrent clients; the API is killed part-way through.
    let next = 0
    let answered = 0
    const pending = new Set<number>()
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < REPORTS) {
          const i = next++
          if (answered === 150) api.child.kill('SIGKILL')
          if (await send(api.url, i)) answered++
          else pending.add(i)
        }
      }),
    )
    expect(api.child.killed).toBe(true)
    expect(pending.size).toBeGreaterThan(0)

    // Restart and retry what got no answer, with the same keys, and some that did (double submits).
    api = await startApiProcess()
    try {
      for (let attempt = 0; pending.size && attempt < 5; attempt++) {
        for (const i of [...pending]) if (await send(api.url, i)) pending.delete(i)
      }
      for (let i = 0; i < 20; i++) expect(await send(api.url, i)).toBe(true)
    } finally {
      api.child.kill('SIGKILL')
    }
    expect(pending.size).toBe(0)

    const rows = await db.sql<{ key: string; n: number; reports: number }[]>`
      select i.idempotency_key as key, count(distinct i.id) as n, count(e.id) filter (where e.action = 'report') as reports
      from incident i join incident_event e on e.incident_id = i.id
      where i.idempotency_key like ${run + '-%'} group by i.idempotency_key`
    expect(rows).toHaveLength(REPORTS)
    expect(rows.every((r) => r.n === 1 && r.reports === 1)).toBe(true)
    expect(new Set(ids.values()).size).toBe(REPORTS)
  })
})
