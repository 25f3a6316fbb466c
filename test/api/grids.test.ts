import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { commanderApp } from '../support/auth.ts'
import { connectTestDatabase } from '../support/database.ts'

const db = connectTestDatabase()
const app = await commanderApp(db)
afterAll(() => db.close())

let root: { code: string; name: string; households: number }
beforeAll(async () => {
  const res = await app.request('/api/grids')
  root = (await res.json()).roots[0]
})

async function getJson(path: string) {
  const res = await app.request(path)
  return { res, body: await res.json() }
}

/** Picks deterministic cells of each level by walking first children down from the root. */
async function firstCellAt(level: number): Promise<string> {
  let code = root.code
  for (let l = 1; l < level; l++) code = (await getJson(`/api/grids/${code}`)).body.children[0].code
  return code
}

describe('GET /api/grids', () => {
  it('lists the district as the only root', async () => {
    const { body } = await getJson('/api/grids')
    expect(body.roots).toHaveLength(1)
    expect(body.roots[0]).toMatchObject({ code: '440904', level: 1, name: '电白区' })
  })
})

describe('GET /api/grids/:code', () => {
  it('returns the district with its towns, figures and cells per level below it', async () => {
    const { res, body } = await getJson(`/api/grids/${root.code}`)
    expect(res.status).toBe(200)
    expect(body).toMatchObject({ code: '440904', level: 1, name: '电白区', parentCode: null, path: [] })
    expect(body.children).toHaveLength(28)
    expect(body.children.map((c: { name: string }) => c.name)).toContain('电海街道')
    expect(body.descendantCounts).toEqual([
      { level: 2, count: 28 },
      { level: 3, count: 409 },
      { level: 4, count: 4689 },
      { level: 5, count: 8805 },
    ])
    expect(body.stats.households).toBeGreaterThan(200_000)
    expect(body.stats.workers).toBe(8805)
    expect(body.stats.leaders).toBe(4689)
    expect(body.stats).toMatchObject({ partyCommittees: 48, partyGeneralBranches: 152, partyBranches: 632, partyGroups: 1508 })
    const childHouseholds = body.children.reduce((sum: number, c: { households: number }) => sum + c.households, 0)
    expect(childHouseholds).toBe(body.stats.households)
    const [minLon, minLat, maxLon, maxLat] = body.bbox
    expect(minLon).toBeLessThan(maxLon)
    expect(minLat).toBeLessThan(maxLat)
  })

  it('returns a village with its path from the district down', async () => {
    const { body } = await getJson('/api/grids/440904004204')
    expect(body).toMatchObject({ code: '440904004204', level: 3, name: '蓝田坡村委会', parentCode: '440904004' })
    expect(body.path).toEqual([
      { code: '440904', level: 1, name: '电白区' },
      { code: '440904004', level: 2, name: '电海街道' },
    ])
    expect(body.children.length).toBeGreaterThan(0)
    expect(body.children[0].name).toMatch(/^第\d+(村|居)民小组$/)
  })

  it('returns a household group with a five-step path, one worker and no children', async () => {
    const code = await firstCellAt(5)
    const { body } = await getJson(`/api/grids/${code}`)
    expect(body.level).toBe(5)
    expect(code).toHaveLength(18)
    expect(body.path.map((p: { level: number }) => p.level)).toEqual([1, 2, 3, 4])
    expect(body.name).toMatch(/^第\d+住户小组$/)
    expect(body.children).toEqual([])
    expect(body.descendantCounts).toEqual([])
    expect(body.stats.workers).toBe(1)
    expect(body.stats.leaders).toBe(1)
    expect(body.responsible.filter((p: { role: string }) => p.role === 'grid_leader')).toHaveLength(1)
    expect(body.stats.households).toBeGreaterThan(0)
  })

  it('answers 404 for a city or province this county deployment does not hold', async () => {
    for (const code of ['4409', '44']) expect((await getJson(`/api/grids/${code}`)).res.status, code).toBe(404)
  })

  it('answers 400 naming the parameter for a malformed code', async () => {
    for (const bad of ['440', '44090', 'abc', '4409040', '440904004204003002001', "440904' or 1=1--"]) {
      const { res, body } = await getJson(`/api/grids/${encodeURIComponent(bad)}`)
      expect(res.status, bad).toBe(400)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
      expect(body.invalidParams[0].name).toBe('code')
      expect(body.detail).toContain('code')
    }
  })

  it('answers 404 naming the code for an unknown cell', async () => {
    const { res, body } = await getJson('/api/grids/440904999')
    expect(res.status).toBe(404)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    expect(body.detail).toContain('440904999')
  })
})

describe('GET /api/grids/:code/geometry', () => {
  it('returns one cell as a GeoJSON Feature', async () => {
    const { res, body } = await getJson('/api/grids/440904004/geometry')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('application/geo+json')
    expect(body.type).toBe('Feature')
    expect(body.properties).toMatchObject({ code: '440904004', level: 2, name: '电海街道', parentCode: '440904' })
    expect(body.geometry.type).toBe('MultiPolygon')
    expect(body.properties.labelPoint).toHaveLength(2)
  })

  it('returns the children of a cell as a FeatureCollection', async () => {
    const { body } = await getJson(`/api/grids/${root.code}/geometry?children=1`)
    expect(body.type).toBe('FeatureCollection')
    expect(body.features).toHaveLength(28)
    for (const feature of body.features) {
      expect(feature.properties.level).toBe(2)
      expect(feature.properties.households).toBeGreaterThan(0)
      expect(feature.geometry.coordinates.length).toBeGreaterThan(0)
    }
  })

  it('answers 400 for a bad children flag and 404 for an unknown code', async () => {
    const bad = await getJson('/api/grids/440904/geometry?children=yes')
    expect(bad.res.status).toBe(400)
    expect(bad.body.invalidParams[0].name).toBe('children')
    const unknown = await getJson('/api/grids/440904999/geometry?children=1')
    expect(unknown.res.status).toBe(404)
  })
})

describe('GET /api/regions/context', () => {
  it('returns the neighbouring divisions but not the district itself', async () => {
    const { body } = await getJson('/api/regions/context')
    const names = body.features.map((f: { properties: { name: string } }) => f.properties.name)
    expect(names).toEqual(expect.arrayContaining(['茂南区', '高州市', '化州市', '信宜市']))
    expect(names).not.toContain('电白区')
  })
})
