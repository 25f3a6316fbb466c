/**
 * Residents named in free text: titles, descriptions and timeline notes name the parties as people
 * write them (报警人…, 涉及…, a phone, an ID number). No response to a role without the reveal —
 * analyst and wall — may carry them, on any endpoint of the scope matrix; every demo case is
 * checked in the database; the audited reveal gives the text back as written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '../../server/access/roles.ts'
import { refreshIncidentStats } from '../../server/incidents/stats.ts'
import { connectTestDatabase } from '../support/database.ts'
import { SseReader } from '../support/sse.ts'
import { assertMasked, buildWorld, json, uniqueParty, type AccessWorld } from '../support/access-fixture.ts'

const db = connectTestDatabase()
afterAll(() => db.close())

let world: AccessWorld
let tag: string
/** The parties of the cases below and a stranger introduced by a marker: none may appear unmasked. */
let secrets: string[]
let cases: { id: number; party: ReturnType<typeof uniqueParty> }[]
const STRANGER = '端木蓉'
const STRANGER_PHONE = '13698765432'
const STRANGER_ID = '440904198807071238'

/** A report naming its own party in the title, description and a note, and a stranger by marker. */
async function reportNaming(category: string, severity: number, prefix = tag): Promise<{ id: number; party: ReturnType<typeof uniqueParty> }> {
  const party = uniqueParty()
  const res = await world.commander.request(
    '/api/incidents',
    json({
      category,
      severity,
      location: world.cell.point,
      title: `${prefix} ${party.name}家门口`,
      description: `报警人${party.name}（电话${party.phone}，身份证${party.idNumber}）反映，联系人${STRANGER}，电话${STRANGER_PHONE}，证件号${STRANGER_ID}。`,
      parties: [party],
    }),
  )
  expect(res.status, await res.clone().text()).toBe(201)
  const { id } = (await res.json()) as { id: number }
  const registered = await world.commander.request(
    `/api/incidents/${id}/transitions`,
    json({ action: 'register', note: `已电话联系${party.name} ${party.phone}` }),
  )
  expect(registered.status).toBe(200)
  return { id, party }
}

beforeAll(async () => {
  world = await buildWorld(db)
  tag = `free-text ${Date.now()}`
  cases = [await reportNaming('dispute.neighbour', 2), await reportNaming('missing.person', 4)]
  secrets = [...cases.flatMap((c) => [c.party.name, c.party.phone, c.party.idNumber]), STRANGER, STRANGER_PHONE, STRANGER_ID]
  await refreshIncidentStats(db.sql)
})

const MASKED_ROLES: Role[] = ['analyst', 'wall', 'commander', 'town_leader', 'village_leader', 'grid_worker']

describe.each(MASKED_ROLES)('as %s', (role) => {
  const viewer = () => world.viewers[role]
  async function read(path: string): Promise<string> {
    const res = await viewer().request(path)
    const body = await res.text()
    expect(res.status, `${role} ${path}: ${body.slice(0, 200)}`).toBe(200)
    assertMasked(body, secrets, `${role} ${path}`)
    return body
  }

  it('reads no party, phone or ID number in lists, detail, timeline, exports, wall, my cases or duplicates', async () => {
    const q = `q=${encodeURIComponent(tag)}`
    const list = JSON.parse(await read(`/api/incidents?${q}&limit=500`)) as { items: { id: number; title: string; description: string }[] }
    expect(list.items.map((i) => i.id).sort((a, b) => a - b)).toEqual(cases.map((c) => c.id).sort((a, b) => a - b))
    for (const c of cases) {
      const detail = JSON.parse(await read(`/api/incidents/${c.id}`)) as { title: string; description: string; timeline: { note: string }[] }
      // Masked, not dropped: the text still says what happened, with the masks the parties list uses.
      expect(detail.title).toBe(`${tag} ${c.party.name[0]}*家门口`)
      expect(detail.description).toContain(`报警人${c.party.name[0]}*（电话${c.party.phone.slice(0, 3)}****${c.party.phone.slice(-4)}`)
      expect(detail.description).toContain(`联系人${STRANGER[0]}*`)
      expect(detail.timeline.at(-1)!.note).toBe(`已电话联系${c.party.name[0]}* ${c.party.phone.slice(0, 3)}****${c.party.phone.slice(-4)}`)
    }
    await read(`/api/incidents/export?format=csv&${q}`)
    const geojson = JSON.parse(await read(`/api/incidents/export?format=geojson&${q}`)) as { features: unknown[] }
    expect(geojson.features).toHaveLength(cases.length)
    await read(`/api/incidents/summary?${q}`)
    const wall = JSON.parse(await read(`/api/wall/summary?grid=${world.cell.code.slice(0, 9)}`)) as { alerts: { id: number; title: string }[] }
    expect(wall.alerts.some((a) => a.id === cases[1]!.id)).toBe(true)
    await read(`/api/incidents/mine`)
    await read(`/api/incidents/duplicates?category=dispute.neighbour&lon=${world.cell.point.lon}&lat=${world.cell.point.lat}`)
    // Grid staff phones are work contacts, in full for the commander and leaders (case-loop.test.ts):
    // here only the residents' data is looked for.
    const grid = await viewer().request(`/api/grids/${world.cell.code}`)
    assertMasked((await grid.text()).replace(/"phone":"[0-9+-]+"/g, ''), secrets, `${role} grid`)
  })

  it('finds nothing by searching for a party name it cannot see', async () => {
    const list = JSON.parse(await read(`/api/incidents?q=${encodeURIComponent(cases[0]!.party.name + '家门口')}`)) as { total: number }
    expect(list.total).toBe(0)
  })

  it('receives the live feed with titles and notes masked', async () => {
    const controller = new AbortController()
    const res = await viewer().request('/api/live', { signal: controller.signal })
    const live = new SseReader(res, controller)
    try {
      const c = await reportNaming('dispute.family', 2, `live ${Date.now()}`)
      const events = await live.waitFor((e) => e.filter((x) => x.data.incidentId === c.id).length >= 2)
      for (const e of events) assertMasked(JSON.stringify(e.data), [...secrets, c.party.name, c.party.phone, c.party.idNumber], `${role} live`)
      expect((events.find((e) => e.data.incidentId === c.id && e.data.action === 'register')!.data as unknown as { note: string }).note).toContain(
        `${c.party.name[0]}*`,
      )
    } finally {
      await live.close()
    }
  })
})

describe('the reveal', () => {
  it('gives the title, description and notes as written, with the parties, audited', async () => {
    const c = cases[0]!
    const res = await world.viewers.grid_worker.request(`/api/incidents/${c.id}/parties/reveal`, json({ reason: '上门调解前核对当事人' }))
    expect(res.status).toBe(200)
    const revealed = (await res.json()) as { parties: { name: string }[]; title: string; description: string; notes: { note: string }[] }
    expect(revealed.parties[0]!.name).toBe(c.party.name)
    expect(revealed.title).toContain(c.party.name)
    expect(revealed.description).toContain(c.party.idNumber)
    expect(revealed.notes.some((n) => n.note.includes(c.party.phone))).toBe(true)
    const [audit] = await db.sql`select count(*)::int as n from audit_log where incident_id = ${c.id} and reason = '上门调解前核对当事人'`
    expect(audit!.n).toBe(1)
  })

  it('is refused to the analyst and the wall', async () => {
    for (const role of ['analyst', 'wall'] as const) {
      expect((await world.viewers[role].request(`/api/incidents/${cases[0]!.id}/parties/reveal`, json({ reason: '想看一下' }))).status).toBe(403)
    }
  })
})

describe('every case in the database', () => {
  it('serves no party name, phone or ID number in its title, description or notes', async () => {
    // Every case with parties (the demo history's thousands among them), checked where the API reads it.
    // Masking only turns characters into '*', so served text can hold a value only if the stored
    // text does: the costly masking runs on those cases alone, the containment check on all.
    const [row] = await db.sql<{ cases: number; leaks: number }[]>`
      with party as (
        select i.id, i.parties, p->>'name' as name, coalesce(p->>'phone', '') as phone, coalesce(p->>'idNumber', '') as id_number,
               i.title || ' ' || i.description || ' ' || coalesce((select string_agg(e.note, ' ') from incident_event e where e.incident_id = i.id), '') as stored
        from incident i cross join lateral jsonb_array_elements(i.parties) p
        where jsonb_array_length(i.parties) > 0),
      named as (
        select *, case when (length(name) >= 2 and strpos(stored, name) > 0) or (phone <> '' and strpos(stored, phone) > 0) or (id_number <> '' and strpos(stored, id_number) > 0)
                       then (select mask_free_text(i.title, i.parties) || ' ' || mask_free_text(i.description, i.parties) || ' ' ||
                                    coalesce((select string_agg(mask_free_text(e.note, i.parties), ' ') from incident_event e where e.incident_id = i.id), '')
                             from incident i where i.id = party.id) end as served
        from party)
      select count(distinct id)::int as cases,
             count(*) filter (where served is not null and ((length(name) >= 2 and strpos(served, name) > 0) or (phone <> '' and strpos(served, phone) > 0) or (id_number <> '' and strpos(served, id_number) > 0)))::int as leaks
      from named`
    expect(row!.cases).toBeGreaterThan(0)
    expect(row!.leaks).toBe(0)
  })

  it('masks names after the usual markers, any mobile and any ID number, and leaves other text alone', async () => {
    const cases: [string, string][] = [
      ['涉及陈辉、李明和王小红。', '涉及陈*、李*和王*。'],
      ['当事人为张三与李四反映', '当事人为张*与李*反映'],
      ['报警人：黄某某，电话 138-1234-5678', '报警人：黄*，电话 138****5678'],
      ['身份证44090419900101123X', '身份证440904********123X'],
      ['联系电话0668-5123456', '联系电话0668-****3456'],
      ['涉及土地纠纷的问题，网格编码440904004001001001', '涉及土地纠纷的问题，网格编码440904004001001001'],
    ]
    for (const [text, masked] of cases) {
      const [row] = await db.sql<{ m: string }[]>`select mask_free_text(${text}, '[]'::jsonb) as m`
      expect(row!.m, text).toBe(masked)
    }
  })
})
