/**
 * The base-data import (/api/imports/<kind>, `npm run import -- households|people|…`): templates,
 * every kind of row problem with its row, column and masked value, nothing written while any row
 * has a problem (not even the good rows), one transaction, a second import of the same file
 * changing nothing, personal data masked in every answer and report, the homes on the map in
 * scope, and the upload's 403/413/415/422 answers.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { BASE_DATA_MAX_BYTES } from '../../server/base-data/routes.ts'
import { asViewer, commanderApp, signIn, type RequestTarget } from '../support/auth.ts'
import { createApp } from '../../server/app.ts'
import { connectTestDatabase } from '../support/database.ts'
import { openScratchDatabase } from '../support/scratch-database.ts'
import type { Database } from '../../server/db/connect.ts'
import {
  csvOf,
  HOUSEHOLD_HEADER,
  type Home,
  homesUnder,
  householdRows,
  idNumberOf,
  PEOPLE_HEADER,
  peopleRows,
  residentsOf,
  sheetRows,
  xlsxOf,
} from '../support/base-data-fixture.ts'
import { upload } from '../support/photos.ts'
import { runCommand } from '../support/run-command.ts'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tmpdir } from 'node:os'

const db = connectTestDatabase()
/** 坡心镇's first household groups: no other test puts homes there. */
const TOWN = '440904102'
let commander: RequestTarget
let homes: Home[]
const dir = mkdtempSync(join(tmpdir(), 'gridscope-base-data-'))

beforeAll(async () => {
  commander = await commanderApp(db)
  // A database kept from an earlier run (DATABASE_URL) starts this file's homes afresh.
  await db.sql`delete from resident where household_id in (select id from household where code like 'BD%')`
  await db.sql`delete from household where code like 'BD%'`
  homes = await homesUnder(db.sql, TOWN, 6, 4, 'BD')
})
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true })
  await db.close()
})

const sendFile = (target: RequestTarget, kind: string, bytes: Uint8Array, name: string, apply = false) =>
  target.request(`/api/imports/${kind}${apply ? '?apply=true' : ''}`, upload(bytes, name, 'application/octet-stream'))

async function count(table: 'household' | 'resident' | 'grid_person' | 'party_org'): Promise<number> {
  const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from ${db.sql(table)}`
  return row!.n
}

type Figures = Record<string, { households: number; population: number }>

/** Households and population of the cells and of every cell above them, by code. */
async function figuresAbove(cells: string[]): Promise<Figures> {
  const rows = await db.sql<{ code: string; households: number; population: number }[]>`
    select code, households, population from grid_cell
     where code in (select substr(c, 1, n) from unnest(${cells}::text[]) as c, generate_series(6, 18, 3) as n)`
  return Object.fromEntries(rows.map((r) => [r.code, { households: r.households, population: r.population }]))
}

/** Every cell above these household groups holds the sum of its children's figures. */
async function expectLevelsAddUp(cells: string[]): Promise<void> {
  const wrong = await db.sql`
    select p.code from grid_cell p
      join (select parent_code, sum(households)::int as h, sum(population)::int as n from grid_cell group by parent_code) s on s.parent_code = p.code
     where p.code in (select substr(c, 1, n) from unnest(${cells}::text[]) as c, generate_series(6, 15, 3) as n)
       and (p.households, p.population) is distinct from (s.h, s.n)`
  expect(wrong).toEqual([])
}

describe('templates', () => {
  it('hands out each kind’s template with headers in Chinese and English, ID numbers formatted as text', async () => {
    const res = await commander.request('/api/imports/templates/people.xlsx')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    const [header] = await sheetRows(new Uint8Array(await res.arrayBuffer()))
    expect(header).toEqual([
      '人口类别 (kind)',
      '户编号 (household code)',
      '网格编码 (cell code)',
      '地址 (address)',
      '姓名 (name)',
      '身份证号 (ID number)',
      '联系电话 (phone)',
    ])
    for (const kind of ['households', 'workers', 'party']) expect((await commander.request(`/api/imports/templates/${kind}.xlsx`)).status).toBe(200)
    const unknown = await commander.request('/api/imports/templates/pets.xlsx')
    expect(unknown.status).toBe(400)
    expect((await unknown.json()).invalidParams[0].name).toBe('file')
  })
})

describe('households and people', () => {
  it('checks without writing, applies in one go, and a second import of the same file changes nothing', async () => {
    const file = csvOf(HOUSEHOLD_HEADER, householdRows(homes))
    const before = await count('household')
    const cells = [...new Set(homes.map((h) => h.cell))]
    const figuresBefore = await figuresAbove(cells)
    const checked = await sendFile(commander, 'households', file, 'homes.csv')
    expect(checked.status).toBe(200)
    const checkedBody = await checked.json()
    expect(checkedBody).toEqual({
      kind: 'households',
      rows: 24,
      counts: { added: 24, changed: 0, unchanged: 0 },
      cellFigures: expect.any(Number),
      applied: false,
    })
    expect(await count('household')).toBe(before)
    expect(await figuresAbove(cells)).toEqual(figuresBefore)

    const applied = await sendFile(commander, 'households', file, 'homes.csv', true)
    const appliedBody = await applied.json()
    expect(appliedBody).toMatchObject({ counts: { added: 24, changed: 0, unchanged: 0 }, applied: true })
    expect(await count('household')).toBe(before + 24)
    const [stored] = await db.sql<{ cell_code: string; lon: number }[]>`select cell_code, ST_X(location) as lon from household where code = ${homes[0]!.code}`
    expect(stored).toEqual({ cell_code: homes[0]!.cell, lon: homes[0]!.lon })
    // Each household group now counts its four registered homes (no people yet); every level above adds up again.
    const afterHomes = await figuresAbove(cells)
    for (const cell of cells) expect(afterHomes[cell]).toEqual({ households: 4, population: 0 })
    await expectLevelsAddUp(cells)
    const dropped = cells.reduce((n, cell) => n + figuresBefore[cell]!.households - 4, 0)
    expect(afterHomes[TOWN]!.households).toBe(figuresBefore[TOWN]!.households - dropped)
    // The check said how many cells' figures would change, and the import changed exactly those.
    const differ = Object.keys(afterHomes).filter(
      (code) => afterHomes[code]!.households !== figuresBefore[code]!.households || afterHomes[code]!.population !== figuresBefore[code]!.population,
    ).length
    expect(checkedBody.cellFigures).toBe(differ)
    expect(appliedBody.cellFigures).toBe(differ)

    const again = await sendFile(commander, 'households', await xlsxOf(HOUSEHOLD_HEADER, householdRows(homes)), 'homes.xlsx', true)
    expect(await again.json()).toMatchObject({ counts: { added: 0, changed: 0, unchanged: 24 }, applied: true })
    expect(await count('household')).toBe(before + 24)

    // A moved address is a change of the same household (its code is the key), not a new one.
    const moved = homes.map((h, i) => (i === 0 ? { ...h, address: `${h.address}（新）` } : h))
    const changed = await sendFile(commander, 'households', csvOf(HOUSEHOLD_HEADER, householdRows(moved)), 'homes.csv', true)
    expect(await changed.json()).toMatchObject({ counts: { added: 0, changed: 1, unchanged: 23 } })
    await sendFile(commander, 'households', file, 'homes.csv', true)

    const people = residentsOf(homes, 3, '440904', 500_000)
    const beforePeople = await count('resident')
    const res = await sendFile(commander, 'people', csvOf(PEOPLE_HEADER, peopleRows(people)), 'people.csv', true)
    const body = await res.text()
    expect(res.status).toBe(200)
    expect(JSON.parse(body)).toMatchObject({ rows: 72, counts: { added: 72, changed: 0, unchanged: 0 }, applied: true })
    expect(await count('resident')).toBe(beforePeople + 72)
    const afterPeople = await figuresAbove(cells)
    for (const cell of cells) expect(afterPeople[cell]).toEqual({ households: 4, population: 12 })
    await expectLevelsAddUp(cells)
    for (const p of people) {
      expect(body).not.toContain(p.idNumber)
      expect(body).not.toContain(p.phone)
    }
    const [kinds] = await db.sql<{ floating: number }[]>`
      select count(*) filter (where kind = 'floating')::int as floating from resident r join household h on h.id = r.household_id where h.code like 'BD%'`
    expect(kinds!.floating).toBe(people.filter((p) => p.kind === '流动').length)
    const reimport = await sendFile(commander, 'people', await xlsxOf(PEOPLE_HEADER, peopleRows(people)), 'people.xlsx', true)
    expect(await reimport.json()).toMatchObject({ counts: { added: 0, changed: 0, unchanged: 72 }, cellFigures: 0 })
    expect(await figuresAbove(cells)).toEqual(afterPeople)
    expect(await count('resident')).toBe(beforePeople + 72)
  })

  it('streams its stages when asked for them, then the answer a plain request gets; row problems end the stream as the 422', async () => {
    const streamed = (bytes: Uint8Array, name: string) =>
      commander.request('/api/imports/households', upload(bytes, name, 'text/csv', { accept: 'application/x-ndjson' }))
    const linesOf = async (res: Response) =>
      (await res.text())
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line))
    const file = csvOf(HOUSEHOLD_HEADER, householdRows(homes))
    const before = await count('household')
    const res = await streamed(file, 'homes.csv')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('application/x-ndjson')
    expect(res.headers.get('x-accel-buffering')).toBe('no')
    const lines = await linesOf(res)
    const steps = lines.slice(0, -1)
    expect([...new Set(steps.map((s: { stage: string }) => s.stage))]).toEqual(['read', 'check-rows', 'load', 'check-database', 'apply', 'refresh-figures'])
    for (const step of steps) expect(step.done).toBeLessThanOrEqual(step.total)
    expect(steps.find((s: { stage: string; done: number }) => s.stage === 'load' && s.done === 24)).toEqual({ stage: 'load', done: 24, total: 24 })
    const plain = await (await sendFile(commander, 'households', file, 'homes.csv')).json()
    expect(lines.at(-1)).toEqual({ status: 200, body: plain })
    expect(await count('household')).toBe(before)

    const bad = householdRows(homes).map((row, i) => (i === 0 ? [row[0]!, row[1]!, row[2]!, '300', row[4]!] : row))
    const refused = await linesOf(await streamed(csvOf(HOUSEHOLD_HEADER, bad), 'homes.csv'))
    expect(refused.at(-1)).toMatchObject({ status: 422, body: { status: 422, title: 'Rows with problems', problems: [{ row: 2, kind: 'format' }] } })
    // A refused upload is refused before any stream starts.
    const wrongType = await streamed(file, 'homes.txt')
    expect(wrongType.status).toBe(415)
    expect(wrongType.headers.get('content-type')).toContain('application/problem+json')
    expect(await count('household')).toBe(before)
  })

  it('reports every kind of row problem with its row, column and masked value, and writes nothing', async () => {
    const home = homes[0]!
    const good = idNumberOf('440904', 600_000)
    const wrongCheck = good.slice(0, 17) + (good[17] === '0' ? '1' : '0')
    const feb30 = '44090419900230001'
    const badBirth = feb30 + '0' // the date is checked before the check character
    const rows: string[][] = [
      ['户籍', home.code, '黄小明', good, '13800138000'], // row 2: fine
      ['户籍', home.code, '', idNumberOf('440904', 600_001), ''], // 3: name missing
      ['户籍', home.code, '陈丽', wrongCheck, ''], // 4: check character
      ['户籍', home.code, '李娜', badBirth, ''], // 5: birth date
      ['本地', home.code, '林伟', idNumberOf('440904', 600_002), ''], // 6: kind
      ['户籍', home.code, '张芳', idNumberOf('440904', 600_003), '12345'], // 7: phone
      ['户籍', home.code, '吴强', good, ''], // 8: duplicate of row 2
      ['户籍', 'NOSUCHHOME', '梁平', idNumberOf('440904', 600_004), ''], // 9: household unknown
      ['户籍', home.code, '刘玲', '4409041990', ''], // 10: ID format
    ]
    const before = await count('resident')
    const res = await sendFile(commander, 'people', csvOf(PEOPLE_HEADER, rows), 'people.csv', true)
    expect(res.status).toBe(422)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    const text = await res.text()
    const body = JSON.parse(text)
    // The file's own problems come first; the database's (household-unknown) only once those are fixed.
    const found = body.problems.map((p: { row: number; column: string; kind: string }) => [p.row, p.column, p.kind])
    expect(found).toEqual([
      [3, '姓名 (name)', 'required'],
      [4, '身份证号 (ID number)', 'id-check-digit'],
      [5, '身份证号 (ID number)', 'id-birth-date'],
      [6, '人口类别 (kind)', 'format'],
      [7, '联系电话 (phone)', 'format'],
      [8, '身份证号 (ID number)', 'duplicate'],
      [10, '身份证号 (ID number)', 'format'],
    ])
    expect(body.problems[1]).toMatchObject({ value: `${wrongCheck.slice(0, 6)}********${wrongCheck.slice(-4)}` })
    expect(body.problems[5].why).toContain('第 2 行 (row 2)')
    for (const secret of [good, wrongCheck, '13800138000', '黄小明', '陈丽']) expect(text).not.toContain(secret)
    expect(await count('resident')).toBe(before)

    // Fixed, but for the one row only the database can judge: still nothing written, not even the good rows.
    const fixed = [rows[0]!, rows[7]!]
    const second = await sendFile(commander, 'people', csvOf(PEOPLE_HEADER, fixed), 'people.csv', true)
    expect(second.status).toBe(422)
    expect((await second.json()).problems).toMatchObject([{ row: 3, column: '户编号 (household code)', value: 'NOSUCHHOME', kind: 'household-unknown' }])
    expect(await count('resident')).toBe(before)

    // The row report as a spreadsheet: row, column, masked value, why.
    const report = await commander.request('/api/imports/people/report', upload(csvOf(PEOPLE_HEADER, rows), 'people.csv', 'text/csv'))
    expect(report.status).toBe(200)
    const sheet = await sheetRows(new Uint8Array(await report.arrayBuffer()))
    expect(sheet[0]).toEqual(['行 (row)', '列 (column)', '值 (value)', '原因 (why)'])
    expect(sheet[2]).toEqual(['4', '身份证号 (ID number)', `${wrongCheck.slice(0, 6)}********${wrongCheck.slice(-4)}`, expect.stringContaining('GB 11643')])
    expect(sheet.flat().join('\n')).not.toContain(good)
  })

  it('flags ID numbers Excel stored as numbers, missing columns, unknown cells, points outside their cell, bad outlines and taken addresses', async () => {
    const home = homes[1]!
    const numeric = await sendFile(commander, 'people', await xlsxOf(PEOPLE_HEADER, [['户籍', home.code, '黄伟', Number('440904195001010011'), '']]), 'p.xlsx')
    expect((await numeric.json()).problems).toMatchObject([{ row: 2, column: '身份证号 (ID number)', kind: 'excel-number' }])

    const noId = await sendFile(commander, 'people', csvOf(['人口类别', '户编号', '姓名'], [['户籍', home.code, '黄伟']]), 'p.csv')
    expect((await noId.json()).problems).toMatchObject([{ row: 1, column: '身份证号 (ID number)', kind: 'column-missing' }])

    const header = [...HOUSEHOLD_HEADER, '建筑轮廓 WKT (building outline, WKT)']
    const far = homes.find((h) => h.cell !== home.cell)!
    const rows = [
      ['BDX1', '440904999999999999', '某路1号', String(home.lon), String(home.lat), ''], // 2: no such cell
      ['BDX2', home.cell, '某路2号', String(far.lon + 0.01), String(far.lat), ''], // 3: far outside its cell
      ['BDX3', home.cell, '某路3号', String(home.lon), String(home.lat), 'POLYGON((1 1, 2 2))'], // 4: not a polygon
      ['BDX4', home.cell, home.address, String(home.lon), String(home.lat), ''], // 5: address of another household
      ['BDX5', home.cell, '某路5号', '200', String(home.lat), ''], // 6: longitude
    ]
    const before = await count('household')
    const res = await sendFile(commander, 'households', csvOf(header, rows), 'h.csv', true)
    expect(res.status).toBe(422)
    expect((await res.json()).problems.map((p: { row: number; kind: string }) => [p.row, p.kind])).toEqual([[6, 'format']])
    const res2 = await sendFile(commander, 'households', csvOf(header, rows.slice(0, 4)), 'h.csv', true)
    expect((await res2.json()).problems.map((p: { row: number; column: string; kind: string }) => [p.row, p.column, p.kind])).toEqual([
      [2, '网格编码 (cell code)', 'cell-unknown'],
      [3, '经度 (longitude)', 'outside-cell'],
      [4, '建筑轮廓 WKT (building outline, WKT)', 'building-invalid'],
      [5, '地址 (address)', 'household-conflict'],
    ])
    expect(await count('household')).toBe(before)
  })
})

// Grid persons and party organisations are counted district-wide by other files (the seed's
// 8,805 workers): these rows go to a database of their own, holding one small county.
describe('grid workers and party organisations', () => {
  let scratch: Database
  let target: RequestTarget
  const CELL = '445998001001001001'
  beforeAll(async () => {
    scratch = await openScratchDatabase()
    // One cell per level, each a small square inside its parent.
    for (let level = 1; level <= 5; level++) {
      const code = CELL.slice(0, 3 + 3 * level)
      const half = 0.05 / level
      await scratch.sql`
        insert into grid_cell (code, level, name, full_name, parent_code, households, population, geom, label_point)
        values (${code}, ${level}, ${`测试${level}级`}, ${`测试${level}级`}, ${level === 1 ? null : CELL.slice(0, 3 * level)}, 0, 0,
                ST_Multi(ST_MakeEnvelope(${111 - half}, ${21.5 - half}, ${111 + half}, ${21.5 + half}, 4326)), ST_SetSRID(ST_MakePoint(111, 21.5), 4326))`
    }
    target = asViewer(createApp(scratch), await signIn(scratch, 'commander', CELL.slice(0, 6)))
  }, 120_000)
  afterAll(async () => {
    await scratch?.close()
  })
  const persons = async () => (await scratch.sql<{ n: number }[]>`select count(*)::int as n from grid_person`)[0]!.n

  it('adds workers and leaders to their cells and party organisations, once', async () => {
    const cell = CELL
    const run = String(Date.now()).slice(-7)
    const workers = csvOf(
      ['网格编码 (cell code)', '角色 (role)', '姓名 (name)', '联系电话 (phone)'],
      [
        [cell, '网格员', '测试网格员', `1391${run}`],
        [cell.slice(0, 15), '网格长', '测试网格长', `0668-5${run.slice(1)}`],
      ],
    )
    const before = await persons()
    expect(await (await sendFile(target, 'workers', workers, 'w.csv', true)).json()).toMatchObject({ counts: { added: 2, changed: 0 } })
    expect(await (await sendFile(target, 'workers', workers, 'w.csv', true)).json()).toMatchObject({ counts: { added: 0, changed: 0, unchanged: 2 } })
    expect(await persons()).toBe(before + 2)
    const [leader] = await scratch.sql<{ role: string }[]>`select role from grid_person where phone = ${`0668-5${run.slice(1)}`}`
    expect(leader!.role).toBe('grid_leader')

    const party = csvOf(
      ['网格编码 (cell code)', '组织类型 (kind)', '名称 (name)'],
      [
        [cell, '网格党支部', `测试网格党支部${run}`],
        [cell, '党小组', `测试党小组${run}`],
      ],
    )
    expect(await (await sendFile(target, 'party', party, 'p.csv', true)).json()).toMatchObject({ counts: { added: 2 } })
    expect(await (await sendFile(target, 'party', party, 'p.csv', true)).json()).toMatchObject({ counts: { added: 0, unchanged: 2 } })
  })
})

describe('homes on the map', () => {
  it('shows single homes at household-group zoom and clusters further out, inside the viewer’s scope only', async () => {
    const lons = homes.map((h) => h.lon)
    const lats = homes.map((h) => h.lat)
    const view = `west=${Math.min(...lons) - 0.001}&south=${Math.min(...lats) - 0.001}&east=${Math.max(...lons) + 0.001}&north=${Math.max(...lats) + 0.001}`
    const near = await (await commander.request(`/api/households?${view}&zoom=17`)).json()
    expect(near.clustered).toBe(false)
    const codes = near.points.map((p: { code: string }) => p.code)
    for (const h of homes) expect(codes).toContain(h.code)
    expect(near.points.find((p: { code: string }) => p.code === homes[0]!.code)).toMatchObject({ count: 1, residents: 3 })
    expect(JSON.stringify(near)).not.toMatch(/测试路|address|name|phone/)

    const far = await (await commander.request(`/api/households?${view}&zoom=11`)).json()
    expect(far.clustered).toBe(true)
    expect(far.points.length).toBeLessThan(homes.length)
    expect(far.points.reduce((n: number, p: { count: number }) => n + p.count, 0)).toBeGreaterThanOrEqual(homes.length)

    const elsewhere = asViewer(createApp(db), await signIn(db, 'town_leader', '440904004'))
    expect((await (await elsewhere.request(`/api/households?${view}&zoom=17`)).json()).points).toEqual([])
    const bad = await commander.request('/api/households?west=111&south=21&east=110&north=22&zoom=17')
    expect(bad.status).toBe(400)
    expect((await bad.json()).invalidParams[0].name).toBe('west')
  })
})

describe('uploads refused', () => {
  it('answers 403 to other roles, 415 to other files, 413 to a file over 32 MB and 422 to a file that is not a workbook', async () => {
    const file = csvOf(HOUSEHOLD_HEADER, householdRows(homes))
    const leader = asViewer(createApp(db), await signIn(db, 'town_leader', TOWN))
    expect((await sendFile(leader, 'households', file, 'h.csv')).status).toBe(403)
    expect((await leader.request('/api/imports/templates/households.xlsx')).status).toBe(403)

    const text = await sendFile(commander, 'households', file, 'h.txt')
    expect(text.status).toBe(415)
    expect((await text.json()).invalidParams[0].name).toBe('file')
    const raw = await commander.request('/api/imports/households', {
      method: 'POST',
      body: new TextDecoder().decode(file),
      headers: { 'content-type': 'text/csv', 'sec-fetch-site': 'same-origin' },
    })
    expect(raw.status).toBe(415)

    const huge = await sendFile(commander, 'households', new Uint8Array(BASE_DATA_MAX_BYTES + 1), 'h.csv')
    expect(huge.status).toBe(413)
    const broken = await sendFile(commander, 'households', new TextEncoder().encode('not a zip'), 'h.xlsx')
    expect(broken.status).toBe(422)
    expect(await broken.json()).toMatchObject({ title: 'File not readable', invalidParams: [{ name: 'file' }] })
    expect((await sendFile(commander, 'pets', file, 'h.csv')).status).toBe(400)
  })
})

// The command runs as its own process, which the embedded database (served to one process) cannot take.
describe.skipIf(inject('databaseMode') === 'embedded')('npm run import -- people (PostgreSQL only: a second process on the database)', () => {
  it('exits 2 with the row report written, 3 without --yes, 0 when applied, and 0 again with nothing changed', { timeout: 120_000 }, async () => {
    const people = residentsOf(homes.slice(0, 2), 2, '440904', 700_000)
    const bad = join(dir, 'bad.csv')
    const good = join(dir, 'good.csv')
    const report = join(dir, 'report.xlsx')
    writeFileSync(bad, csvOf(PEOPLE_HEADER, [...peopleRows(people), ['户籍', homes[0]!.code, '黄伟', '440904195001010010', '']]))
    writeFileSync(good, csvOf(PEOPLE_HEADER, peopleRows(people)))
    const failed = await runCommand('server/imports/cli.ts', ['people', bad, '--report', report, '--yes'])
    expect(failed.code).toBe(2)
    expect(failed.out).toContain('row 6')
    expect(failed.out + failed.err).not.toContain('440904195001010010')
    expect((await sheetRows(new Uint8Array(readFileSync(report))))[1]).toEqual([
      '6',
      '身份证号 (ID number)',
      '440904********0010',
      expect.stringContaining('GB 11643'),
    ])
    expect((await runCommand('server/imports/cli.ts', ['people', good])).code).toBe(3)
    const applied = await runCommand('server/imports/cli.ts', ['people', good, '--yes'])
    expect(applied.code).toBe(0)
    expect(applied.out).toContain('applied: 4 added, 0 changed')
    expect(applied.err).toContain('{"progress":"load"')
    const again = await runCommand('server/imports/cli.ts', ['people', good, '--yes'])
    expect(again.out).toContain('unchanged')
    for (const p of people) expect(applied.out + applied.err + again.out).not.toContain(p.idNumber)
  })
})
