/**
 * The web grid import's API (/api/imports/grid) on a database of its own with no grid but the
 * fixture county (test/support/county-fixture.ts): the error paths (403 for other roles, 413 over
 * the size limit, 415 for a file the import does not read, 400 naming a bad option, 422 for a file
 * it cannot read and for applying blocking problems, 409 for a second import while one is checked
 * and for applying twice), the problems as GeoJSON where they are, and the corrected county applied
 * through it: a new version, audited, the tile cache emptied at once and the tiles' address changed.
 * Imports are kept in the database: the corrected county is checked by one app and applied by
 * another (a second API process, or the same one restarted), and an import whose process stopped
 * (no heartbeat) neither blocks the next upload nor is lost.
 */
import { readFileSync, rmSync } from 'node:fs'
import { basename } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Hono } from 'hono'
import { createApp } from '../../server/app.ts'
import type { Database } from '../../server/db/connect.ts'
import { TileCache } from '../../server/tiles/cache.ts'
import { tileAt, tileFeatures } from '../support/access-fixture.ts'
import { cookieOf, signIn } from '../support/auth.ts'
import { correctCounty, type FixtureFiles, hasOgr2ogr, PROBLEMS, problemCounty, writeFixtureFiles } from '../support/county-fixture.ts'
import { openScratchDatabase } from '../support/scratch-database.ts'
import { createSession } from '../../server/access/sessions.ts'

const gdal = hasOgr2ogr()
const MAX_BYTES = 256 * 1024

describe.skipIf(!gdal)('the web grid import API (skipped without gdal-bin: the fixture files are written by ogr2ogr)', () => {
  let db: Database
  let app: Hono
  let commander: string
  let analyst: string
  let bad: FixtureFiles
  let good: FixtureFiles
  const tileCache = new TileCache()

  beforeAll(async () => {
    db = await openScratchDatabase()
    app = createApp(db, { tileCache, gridImportMaxBytes: MAX_BYTES })
    commander = await signIn(db, 'commander', '445999')
    analyst = await signIn(db, 'analyst', '445999')
    bad = writeFixtureFiles(problemCounty(), 'county_problems')
    good = writeFixtureFiles(correctCounty(), 'county')
  }, 240_000)
  afterAll(async () => {
    await db?.close()
    for (const files of [bad, good]) if (files) rmSync(files.dir, { recursive: true, force: true })
  })

  const request = (path: string, init: RequestInit = {}, cookie = commander, on = app) =>
    on.request(path, { ...init, headers: { cookie, origin: 'http://localhost', ...(init.headers ?? {}) } })
  const formOf = (paths: string[], fields: Record<string, string> = {}) => {
    const form = new FormData()
    for (const path of paths) form.append('file', new File([readFileSync(path)], basename(path)))
    for (const [k, v] of Object.entries(fields)) form.append(k, v)
    return form
  }
  const shapefileSet = (files: FixtureFiles) => ['shp', 'shx', 'dbf', 'prj', 'cpg'].map((ext) => files.shp.replace(/\.shp$/, `.${ext}`))
  const upload = (form: FormData, cookie = commander) => request('/api/imports/grid', { method: 'POST', body: form }, cookie)
  const waitChecked = async (id: string) => {
    let status: { state: string } = { state: 'checking' }
    await expect
      .poll(
        async () => {
          status = await (await request(`/api/imports/grid/${id}`)).json()
          return status.state
        },
        { timeout: 60_000, interval: 100 },
      )
      .not.toBe('checking')
    return status as Record<string, unknown> & { state: string; id: string }
  }
  const problemJson = async (res: Response) => {
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    const body = await res.json()
    expect(JSON.stringify(body)).not.toMatch(/at \S+\.ts:\d+|select |gridscope-import-/)
    return body
  }

  it('refuses other roles, oversized uploads, unknown types, bad options and unreadable files, naming the field', { timeout: 60_000 }, async () => {
    expect((await upload(formOf([good.geojson]), analyst)).status).toBe(403)

    const big = new FormData()
    big.append('file', new File([new Uint8Array(MAX_BYTES + 1024)], 'big.gpkg'))
    const tooLarge = await upload(big)
    expect(tooLarge.status).toBe(413)
    expect(await problemJson(tooLarge)).toMatchObject({ status: 413 })

    const docx = new FormData()
    docx.append('file', new File(['not a grid'], 'towns.docx'))
    const unknown = await upload(docx)
    expect(unknown.status).toBe(415)
    expect(await problemJson(unknown)).toMatchObject({ invalidParams: [{ name: 'file' }], detail: expect.stringContaining('towns.docx') })

    const raw = await request('/api/imports/grid', { method: 'POST', body: 'x', headers: { 'content-type': 'text/csv' } })
    expect(raw.status).toBe(415)

    const badOption = await upload(formOf([good.geojson], { toleranceM: 'far', crs: 'EPSG:abc' }))
    expect(badOption.status).toBe(400)
    expect((await problemJson(badOption)).invalidParams.map((p: { name: string }) => p.name).sort()).toEqual(['crs', 'toleranceM'])

    const garbage = new FormData()
    garbage.append('file', new File(['{"type": "nothing"'], 'towns.geojson'))
    const unreadable = await upload(garbage)
    expect(unreadable.status).toBe(422)
    expect(await problemJson(unreadable)).toMatchObject({ invalidParams: [{ name: 'file' }], detail: expect.stringContaining('towns.geojson: not valid JSON') })

    expect((await request('/api/imports/grid/00000000-0000-0000-0000-000000000000')).status).toBe(404)
    // Not an id the database could even compare (the column is a uuid): 400 naming it, never a 500.
    const hostile = await request(`/api/imports/grid/${'-'.repeat(36)}/problems`)
    expect(hostile.status).toBe(400)
    expect(await problemJson(hostile)).toMatchObject({ invalidParams: [{ name: 'id' }] })
  })

  it('checks the county with problems: every kind in the GeoJSON where it is, one import at a time, apply refused (422)', { timeout: 120_000 }, async () => {
    const started = await upload(formOf(shapefileSet(bad), { toleranceM: '5' }))
    expect(started.status).toBe(202)
    const { id } = await started.json()
    // While it is checked, a second upload is refused (409) naming the running import.
    const second = await upload(formOf([good.geojson]))
    if (second.status === 202) await waitChecked((await second.json()).id)
    else expect(await problemJson(second)).toMatchObject({ status: 409, running: id })
    const status = await waitChecked(id)
    expect(status).toMatchObject({ state: 'checked', cells: problemCounty().length, errors: expect.any(Number), plan: null })
    const problems = await (await request(`/api/imports/grid/${id}/problems`)).json()
    const kinds = new Set(problems.features.map((f: { properties: { kind: string } }) => f.properties.kind))
    expect([...kinds].sort()).toEqual(['code-duplicate', 'gap', 'invalid-geometry', 'level-mismatch', 'outside-parent', 'overlap', 'parent-missing', 'sliver'])
    const overlap = problems.features.find((f: { properties: { kind: string; code: string } }) => f.properties.kind === 'overlap')
    expect(overlap.properties).toMatchObject({ code: PROBLEMS.overlap.code, severity: 'error', index: expect.any(Number) })
    expect(overlap.properties.areaM2).toBeCloseTo(PROBLEMS.overlap.areaM2, -3)
    expect(overlap.geometry.type).toMatch(/Polygon/)

    const refused = await request(`/api/imports/grid/${id}/apply`, {
      method: 'POST',
      body: JSON.stringify({ confirm: true }),
      headers: { 'content-type': 'application/json' },
    })
    expect(refused.status).toBe(422)
    const body = await problemJson(refused)
    expect(body.detail).toContain('blocking problems')
    expect(body.invalidParams.map((p: { name: string }) => p.name)).toContain('overlap')
    const [cells] = await db.sql<{ n: number }[]>`select count(*)::int as n from grid_cell`
    expect(cells!.n).toBe(0)
  })

  it('applies the corrected county (a raw GeoPackage body): a version, audited, tiles refreshed at once; twice is 409', { timeout: 120_000 }, async () => {
    const tilejson = async () => (await (await request('/tiles/grids.json')).json()).tiles[0] as string
    const before = await tilejson()
    const geometryJson = async () => (await (await request('/tiles/geometry.json')).json()) as { tiles: string[]; center: number[] }
    const geometryBefore = (await geometryJson()).tiles[0]!
    // A tile of the county's area, cached while the grid is empty.
    await request('/tiles/grids/12/3345/1774.mvt')
    expect(tileCache.size).toBeGreaterThan(0)

    const started = await request('/api/imports/grid?filename=county.gpkg&effective=2027-02-01', {
      method: 'POST',
      body: readFileSync(good.gpkg),
      headers: { 'content-type': 'application/geopackage+sqlite3' },
    })
    expect(started.status).toBe(202)
    const { id } = await started.json()
    const status = await waitChecked(id)
    expect(status).toMatchObject({ state: 'checked', errors: 0, warnings: 0, files: ['county.gpkg'] })
    expect(status.plan).toMatchObject({ roots: ['445999'], added: correctCounty().length, removed: 0, openCases: 0, people: 0, party: 0, unchanged: false })

    const unconfirmed = await request(`/api/imports/grid/${id}/apply`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })
    expect(unconfirmed.status).toBe(400)
    expect((await problemJson(unconfirmed)).invalidParams[0].name).toBe('confirm')

    // Another process (or this one restarted) holds nothing of the import in memory: it reads the
    // import, its problems and its checked cells from the database, and applies it.
    const restarted = createApp(db, { tileCache, gridImportMaxBytes: MAX_BYTES })
    expect(await (await request(`/api/imports/grid/${id}`, {}, commander, restarted)).json()).toEqual(status)
    const listed = await (await request('/api/imports/grid', {}, commander, restarted)).json()
    expect(listed.items[0]).toEqual(status)
    const applied = await request(
      `/api/imports/grid/${id}/apply`,
      { method: 'POST', body: JSON.stringify({ confirm: true }), headers: { 'content-type': 'application/json' } },
      commander,
      restarted,
    )
    expect(applied.status).toBe(200)
    const outcome = await applied.json()
    expect(outcome).toMatchObject({ state: 'applied', version: expect.any(Number) })
    expect(tileCache.size).toBe(0)
    expect(await tilejson()).not.toBe(before)
    expect(await tilejson()).toMatch(new RegExp(`\\?g=${outcome.version}$`))
    // The geometry tiles (public, immutable) move to the grid's next revision: the county is in them there.
    const { tiles, center } = await geometryJson()
    expect(tiles[0]).not.toBe(geometryBefore)
    const { z, x, y } = tileAt(center[0]!, center[1]!, 12)
    const tileOf = (template: string) => new URL(template.replace('{z}/{x}/{y}', `${z}/${x}/${y}`)).pathname
    const countyTile = await request(tileOf(tiles[0]!))
    expect(countyTile.status).toBe(200)
    expect(countyTile.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(tileFeatures(new Uint8Array(await countyTile.arrayBuffer()))).toContainEqual(expect.objectContaining({ code: '445999', level: 1 }))
    // The address of the empty grid's revision sends a map opened before the import to the new one.
    expect((await request(tileOf(geometryBefore))).headers.get('location')).toBe(tileOf(tiles[0]!))
    const [version] = await db.sql<{ effective: string; cells: number }[]>`
      select effective_date::text as effective, cells from grid_version where id = ${outcome.version}`
    expect(version).toEqual({ effective: '2027-02-01', cells: correctCounty().length })
    const audit = await db.sql<{ action: string; reason: string }[]>`select action, reason from audit_log where action like 'grid-import-%' order by id`
    expect(audit.map((a) => a.action)).toContain('grid-import-check')
    expect(audit.at(-1)!.action).toBe('grid-import-apply')
    expect(audit.at(-1)!.reason).toContain(`grid version ${outcome.version} over 445999 effective 2027-02-01`)

    const again = await request(`/api/imports/grid/${id}/apply`, {
      method: 'POST',
      body: JSON.stringify({ confirm: true }),
      headers: { 'content-type': 'application/json' },
    })
    expect(again.status).toBe(409)
    expect((await problemJson(again)).detail).toContain('applied already')

    // The county's grid is served: search and the tree find it by the data, not by a district's code.
    const found = await (await request(`/api/grids/search?q=${encodeURIComponent('东岭')}`)).json()
    expect(JSON.stringify(found)).toContain('445999001')
  })

  it('an import whose process stopped does not block the next: checking reads as failed, applying may be applied again', { timeout: 120_000 }, async () => {
    const [latest] = await db.sql<
      { status: Record<string, unknown> }[]
    >`select status from grid_import where state = 'applied' order by created_at desc limit 1`
    // An import another process is checking, its heartbeat fresh: uploads wait.
    const running = '00000000-0000-4000-8000-000000000001'
    await db.sql`insert into grid_import (id, state, status) values (${running}, 'checking', ${db.sql.json({ ...latest!.status, id: running, state: 'checking' })})`
    expect(await problemJson(await upload(formOf([good.geojson])))).toMatchObject({ status: 409, running })
    // That process stopped a minute ago: the import failed, and the next upload goes ahead.
    await db.sql`update grid_import set heartbeat_at = now() - interval '1 minute' where id = ${running}`
    expect(await (await request(`/api/imports/grid/${running}`)).json()).toMatchObject({
      state: 'failed',
      message: expect.stringContaining('upload the files again'),
    })
    const started = await upload(formOf([good.geojson]))
    expect(started.status).toBe(202)
    const { id } = await started.json()
    expect(await waitChecked(id)).toMatchObject({ state: 'checked', plan: { unchanged: true } })

    // A process stopped while applying it: applying is one transaction, so it may be applied again.
    await db.sql`update grid_import set state = 'applying', heartbeat_at = now() - interval '1 minute' where id = ${id}`
    expect(await (await request(`/api/imports/grid/${id}`)).json()).toMatchObject({
      state: 'checked',
      reason: 'stopped-applying',
      message: expect.stringContaining('apply it again'),
    })
    const versions = await db.sql`select id from grid_version`
    const again = await request(`/api/imports/grid/${id}/apply`, {
      method: 'POST',
      body: JSON.stringify({ confirm: true }),
      headers: { 'content-type': 'application/json' },
    })
    expect(again.status).toBe(200)
    expect(await again.json()).toMatchObject({ state: 'unchanged', reason: null, version: latest!.status.version })
    expect(await db.sql`select id from grid_version`).toEqual(versions)
  })

  it('a session of another user cannot read the imports', async () => {
    const [user] = await db.sql<{ id: number }[]>`
      insert into app_user (username, password_hash, role, scope) values ('import-worker', 'x', 'grid_worker', '445999001001001001') returning id`
    const worker = cookieOf((await createSession(db.sql, { userId: user!.id }, 60_000)).token)
    expect((await request('/api/imports/grid', {}, worker)).status).toBe(403)
  })
})
