import { afterAll, describe, expect, it } from 'vitest'
import postgres from 'postgres'
import { createApp } from '../../server/app.ts'
import { connectTestDatabase } from '../support/database.ts'
import { commanderApp } from '../support/auth.ts'

const db = connectTestDatabase()
const app = createApp(db)
afterAll(() => db.close())

describe('GET /api/health', () => {
  it('reports the database mode and the PostgreSQL and PostGIS versions', async () => {
    const res = await app.request('/api/health')
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body.status).toBe('ok')
    expect(body.database.mode).toBe(db.mode)
    expect(body.database.postgres).toMatch(/^\d+\.\d+/)
    expect(Number.parseFloat(body.database.postgis)).toBeGreaterThanOrEqual(3.3)
  })

  it('answers 503 with the reason when the database is down', async () => {
    const dead = postgres('postgres://nobody@127.0.0.1:1/none', { max: 1, connect_timeout: 2 })
    const downApp = createApp({ sql: dead, mode: 'external', close: () => dead.end() })
    const res = await downApp.request('/api/health')
    expect(res.status).toBe(503)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    const body = await res.json()
    expect(body.title).toBe('Database unavailable')
    expect(body.detail).toMatch(/ECONNREFUSED/)
    expect(body.database.mode).toBe('external')
    await dead.end()
  })
})

describe('unknown API paths', () => {
  it('answer 404 problem+json (to a signed-in viewer; others get 401)', async () => {
    const res = await (await commanderApp(db)).request('/api/nothing-here')
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
  })
})
