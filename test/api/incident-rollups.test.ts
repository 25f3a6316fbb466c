import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'
import { afterAll, describe, expect, it } from 'vitest'
import { commanderApp } from '../support/auth.ts'
import { refreshIncidentStats } from '../../server/incidents/stats.ts'
import { connectTestDatabase } from '../support/database.ts'
import { checkerApp, stepBody } from '../support/case-loop.ts'

const db = connectTestDatabase()
const app = await commanderApp(db)
afterAll(() => db.close())

describe('incident roll-ups', () => {
  it('equal a recount from the raw rows at every level of a path', async () => {
    // Make sure the subtree has open, closed and escalated cases.
    const village = await (await app.request('/api/grids/440904004204')).json()
    const post = async (severity: number) =>
      (
        await (
          await app.request('/api/incidents', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              category: 'dispute.family',
              severity,
              title: '家庭纠纷',
              location: { lon: village.labelPoint[0], lat: village.labelPoint[1] },
            }),
          })
        ).json()
      ).id as number
    const checker = await checkerApp(db)
    const act = (id: number, action: string) =>
      (action === 'verify' ? checker : app).request(`/api/incidents/${id}/transitions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: stepBody(action),
      })
    const closed = await post(2)
    for (const a of ['register', 'dispatch', 'start', 'finish', 'verify', 'close']) await act(closed, a)
    const escalated = await post(2)
    for (const a of ['register', 'escalate', 'escalate', 'escalate', 'start', 'finish', 'verify', 'close']) await act(escalated, a)
    await post(1)

    const chain = (await (await app.request(`/api/grids/at?lon=${village.labelPoint[0]}&lat=${village.labelPoint[1]}`)).json()).chain
    for (const { code } of chain) {
      const recount = async () =>
        (
          await db.sql<{ total: number; open: number; overdue: number; resolved: number; in_grid: number; in_town: number }[]>`
        select count(*) as total, count(*) filter (where status not in ('closed', 'dismissed')) as open,
               count(*) filter (where status not in ('closed', 'dismissed') and due_at < now()) as overdue,
               count(*) filter (where status = 'closed') as resolved,
               count(*) filter (where status = 'closed' and handling_level >= 4) as in_grid,
               count(*) filter (where status = 'closed' and handling_level >= 2) as in_town
        from incident where grid_code like ${code + '%'}`
        )[0]!
      // Other test files write incidents at the same time on PostgreSQL: compare against a recount
      // that did not change while the API answered.
      let raw: Awaited<ReturnType<typeof recount>> | undefined
      let after: typeof raw
      let incidents: Record<string, number> = {}
      for (let attempt = 0; attempt < 20; attempt++) {
        raw = await recount()
        ;({ incidents } = await (await app.request(`/api/grids/${code}`)).json())
        after = await recount()
        if (JSON.stringify(after) === JSON.stringify(raw)) break
      }
      expect(after, 'the subtree stopped changing long enough to compare').toEqual(raw)
      expect(incidents, code).toMatchObject({ total: raw!.total, open: raw!.open, overdue: raw!.overdue, resolved: raw!.resolved })
      expect(incidents.resolvedInGridRate).toBeCloseTo(raw!.in_grid / raw!.resolved, 10)
      expect(incidents.resolvedInTownRate).toBeCloseTo(raw!.in_town / raw!.resolved, 10)
      expect(incidents.resolvedInGridRate).toBeLessThan(1) // the escalated case was closed at the town
      expect(incidents.meanHoursToClose).toBeGreaterThanOrEqual(0)
    }
  })

  it('reach the tiles as properties after a refresh', async () => {
    await refreshIncidentStats(db.sql)
    const [expected] = await db.sql<{ total: number; open: number }[]>`
      select count(*) as total, count(*) filter (where status not in ('closed', 'dismissed')) as open
      from incident where grid_code like '440904004%'`
    expect(expected!.total).toBeGreaterThan(0)
    const [lon, lat, z] = [111.02, 21.5, 8]
    const x = Math.floor(((lon + 180) / 360) * 2 ** z)
    const rad = (lat * Math.PI) / 180
    const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * 2 ** z)
    const res = await app.request(`/tiles/grids/${z}/${x}/${y}.mvt`)
    expect(res.status, await res.clone().text()).toBe(200)
    const tile = new VectorTile(new PbfReader(new Uint8Array(await res.arrayBuffer())))
    const towns = tile.layers.town!
    const dianhai = Array.from({ length: towns.length }, (_, i) => towns.feature(i).properties).find((p) => p.code === '440904004')!
    expect(dianhai).toMatchObject({ incidents: expected!.total, open: expected!.open })
  })
})
