import { afterAll, describe, expect, it } from 'vitest'
import { asViewer, commanderApp, signIn } from '../support/auth.ts'
import { createApp } from '../../server/app.ts'
import { connectTestDatabase } from '../support/database.ts'

const db = connectTestDatabase()
const app = await commanderApp(db)
afterAll(() => db.close())

async function getJson(path: string) {
  const res = await app.request(path)
  return { res, body: await res.json() }
}

describe('GET /api/grids/search', () => {
  it('finds a village by part of its name, the village first and then its groups', async () => {
    const { res, body } = await getJson(`/api/grids/search?q=${encodeURIComponent('蓝田坡')}`)
    expect(res.status).toBe(200)
    expect(body.results[0]).toMatchObject({ code: '440904004204', level: 3, name: '蓝田坡村委会', context: '电海街道' })
    const rest = body.results.slice(1)
    expect(rest.length).toBeGreaterThan(0)
    for (const r of rest) {
      expect(r.code.startsWith('440904004204')).toBe(true)
      expect(r.fullName.startsWith('蓝田坡村委会')).toBe(true)
    }
  })

  it('ranks an exact name first and caps the results', async () => {
    const { body } = await getJson(`/api/grids/search?q=${encodeURIComponent('电海街道')}&limit=3`)
    expect(body.results[0]).toMatchObject({ code: '440904004', name: '电海街道' })
    const many = await getJson(`/api/grids/search?q=${encodeURIComponent('村')}&limit=50`)
    expect(many.body.results).toHaveLength(50)
  })

  it('finds cells by code prefix', async () => {
    const { body } = await getJson('/api/grids/search?q=440904004204&limit=5')
    expect(body.results[0].code).toBe('440904004204')
    expect(body.results.every((r: { code: string }) => r.code.startsWith('440904004204'))).toBe(true)
  })

  it('treats LIKE wildcards literally and returns nothing for unknown names', async () => {
    for (const q of ['%', '_', 'zzz没有这个地方']) {
      const { res, body } = await getJson(`/api/grids/search?q=${encodeURIComponent(q)}`)
      expect(res.status).toBe(200)
      expect(body.results).toEqual([])
    }
  })

  it('answers 400 naming q or limit for bad input', async () => {
    for (const [query, name] of [
      ['', 'q'],
      ['q=', 'q'],
      [`q=${'长'.repeat(51)}`, 'q'],
      ['q=x&limit=0', 'limit'],
      ['q=x&limit=500', 'limit'],
      ['q=x&limit=abc', 'limit'],
    ]) {
      const { res, body } = await getJson(`/api/grids/search?${query}`)
      expect(res.status, query).toBe(400)
      expect(body.invalidParams[0].name, query).toBe(name)
    }
  })
})

describe('GET /api/grids/at', () => {
  it('returns the chain of five cells containing a point', async () => {
    const village = (await getJson('/api/grids/440904004204')).body
    const [lon, lat] = village.labelPoint
    const { res, body } = await getJson(`/api/grids/at?lon=${lon}&lat=${lat}`)
    expect(res.status).toBe(200)
    expect(body.chain.map((c: { level: number }) => c.level)).toEqual([1, 2, 3, 4, 5])
    expect(body.chain[2].code).toBe('440904004204')
    for (let i = 1; i < 5; i++) expect(body.chain[i].code.startsWith(body.chain[i - 1].code)).toBe(true)
  })

  it('answers 404 outside the district and 400 for bad coordinates', async () => {
    const outside = await getJson('/api/grids/at?lon=116.4&lat=39.9')
    expect(outside.res.status).toBe(404)
    for (const [query, name] of [
      ['lon=abc&lat=21.5', 'lon'],
      ['lon=111&lat=95', 'lat'],
      ['lon=NaN&lat=21.5', 'lon'],
      ['lat=21.5', 'lon'],
      ['lon=111&lat=1e400', 'lat'],
    ]) {
      const { res, body } = await getJson(`/api/grids/at?${query}`)
      expect(res.status, query).toBe(400)
      expect(body.invalidParams[0].name, query).toBe(name)
    }
  })
})

describe('people and party organisation of a cell', () => {
  it('lists the leader and workers of a villager group: names masked, work phones in full for the commander', async () => {
    const village = (await getJson('/api/grids/440904004204')).body
    const group = (await getJson(`/api/grids/${village.children[0].code}`)).body
    const leaders = group.responsible.filter((p: { role: string }) => p.role === 'grid_leader')
    const workers = group.responsible.filter((p: { role: string }) => p.role === 'grid_worker')
    expect(leaders).toHaveLength(1)
    expect(workers).toHaveLength(group.children.length)
    for (const person of group.responsible) {
      expect(person.name).toMatch(/^\p{Script=Han}\*$/u)
      // Staff phones are work contacts: the commander calls them (masked for analyst and wall: case-loop.test.ts).
      expect(person.phone).toMatch(/^1\d{10}$/)
    }
  })

  it('never serves a whole name anywhere in a cell, nor a phone number to an analyst', async () => {
    const analyst = asViewer(createApp(db), await signIn(db, 'analyst', '440904'))
    const rows = await db.sql<{ full_name: string; phone: string; cell_code: string }[]>`
      select full_name, phone, cell_code from grid_person where cell_code like '440904004204%' limit 20`
    for (const row of rows) {
      const text = await (await app.request(`/api/grids/${row.cell_code}`)).text()
      expect(text).not.toContain(`"${row.full_name}"`)
      const forAnalyst = await (await analyst.request(`/api/grids/${row.cell_code}`)).text()
      expect(forAnalyst).not.toContain(row.phone)
      expect(forAnalyst).not.toContain(`"${row.full_name}"`)
    }
  })

  it('lists the party organisation on the path for a household group', async () => {
    const [org] = await db.sql<{ cell_code: string; name: string }[]>`
      select cell_code, name from party_org where kind = 'party_group' order by cell_code limit 1`
    const cell = (await getJson(`/api/grids/${org!.cell_code}`)).body
    expect(cell.party).toContainEqual({ kind: 'party_group', name: org!.name, cellCode: org!.cell_code })
  })
})
