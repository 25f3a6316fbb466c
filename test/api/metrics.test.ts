/**
 * GET /metrics: Prometheus text format with requests and latency by route pattern, the database's
 * connections, live clients, the report writer's queue and the tile cache's hits; readable with
 * the metrics token (or, without one, only on loopback and not through a proxy); no personal data.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { CountingTileCache } from '../../server/metrics/metrics.ts'
import { commanderApp } from '../support/auth.ts'
import { connectTestDatabase } from '../support/database.ts'

const db = connectTestDatabase()
afterAll(() => db.close())
const TOKEN = 'metrics-token-of-the-test-0123456789'

describe('/metrics', () => {
  it('is refused without the metrics token, as problem+json', async () => {
    const app = await commanderApp(db, { metrics: { token: TOKEN } })
    for (const authorization of [undefined, 'Bearer wrong-token', `Basic ${TOKEN}`]) {
      const res = await app.request('/metrics', { headers: authorization ? { authorization } : {} })
      expect(res.status).toBe(403)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
    }
  })

  it('without a token, answers the process itself but never a request through a proxy', async () => {
    const app = await commanderApp(db, { metrics: {} })
    expect((await app.request('/metrics')).status).toBe(200)
    expect((await app.request('/metrics', { headers: { 'x-forwarded-for': '203.0.113.9' } })).status).toBe(403)
  })

  it('counts requests by route pattern, tile cache hits, and names no person, code or session', async () => {
    const tileCache = new CountingTileCache()
    const app = await commanderApp(db, { metrics: { token: TOKEN }, tileCache })
    expect((await app.request('/api/grids/440904004')).status).toBe(200)
    expect((await app.request('/api/grids/440904999')).status).toBe(404)
    for (let i = 0; i < 3; i++) expect((await app.request('/tiles/grids/12/3315/1798.mvt')).status).toBeLessThan(300)
    const res = await app.request('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    const text = await res.text()
    expect(text).toMatch(/gridscope_http_requests_total\{method="GET",route="\/api\/grids\/:code",status="200"\} 1/)
    expect(text).toMatch(/gridscope_http_requests_total\{method="GET",route="\/api\/grids\/:code",status="404"\} 1/)
    expect(text).toMatch(/gridscope_http_request_duration_seconds_count\{method="GET",route="\/tiles\/grids\/:z\/:x\/:y"\} 3/)
    expect(text).toMatch(/gridscope_tile_cache_requests_total\{result="hit"\} 2/)
    expect(text).toMatch(/gridscope_tile_cache_requests_total\{result="miss"\} 1/)
    for (const name of ['gridscope_live_clients', 'gridscope_report_writer_queue', 'gridscope_db_pool_max', 'nodejs_eventloop_lag_seconds'])
      expect(text).toContain(`# TYPE ${name} `)
    // Patterns only: no grid code, no user, no cookie value.
    expect(text).not.toMatch(/440904|commander|gridscope_session=/)
  })

  it('is not mounted unless asked for', async () => {
    const app = await commanderApp(db)
    expect((await app.request('/metrics')).status).toBe(404)
  })
})
