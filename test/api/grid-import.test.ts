/**
 * `npm run import -- grid`: the checks on a second county (test/support/county-fixture.ts, a
 * CGCS2000 Gauss–Krüger Shapefile with GBK attributes) find every deliberate problem with the right
 * kind, code, place and size, block the import with status 2 and write nothing; the report opens
 * in GDAL as a layer with the documented fields. The corrected county passes.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { createTransform, epsgSpec } from '../../server/imports/crs.ts'
import { importGrid, type GridImportOptions } from '../../server/imports/grid-import.ts'
import { connectTestDatabase } from '../support/database.ts'
import { runCommand } from '../support/run-command.ts'
import { correctCounty, hasOgr2ogr, ORIGIN, PROBLEMS, problemCounty, writeFixtureFiles } from '../support/county-fixture.ts'

const db = connectTestDatabase()
const gdal = hasOgr2ogr()
const bad = gdal ? writeFixtureFiles(problemCounty(), 'county_problems') : undefined!
const good = gdal ? writeFixtureFiles(correctCounty(), 'county') : undefined!
afterAll(async () => {
  await db.close()
  for (const files of [bad, good]) if (files) rmSync(files.dir, { recursive: true, force: true })
})

const toWgs = createTransform(epsgSpec(4547))
const at = ([x, y]: [number, number]) => toWgs([ORIGIN[0] + x, ORIGIN[1] + y])
const options = (files: string[], extra: Partial<GridImportOptions> = {}): GridImportOptions => ({ files, toleranceM: 5, dryRun: true, yes: false, ...extra })

async function cellCount(): Promise<number> {
  const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from grid_cell`
  return row!.n
}

/** Whether the problem's geometry holds the point (a point location: within 1 m of it). */
async function holds(geometry: unknown, point: [number, number]): Promise<boolean> {
  const [row] = await db.sql<{ ok: boolean }[]>`
    select ST_DWithin(ST_SetSRID(ST_GeomFromGeoJSON(${JSON.stringify(geometry)}), 4326)::geography,
                      ST_SetSRID(ST_MakePoint(${point[0]}, ${point[1]}), 4326)::geography, 1) as ok`
  return row!.ok
}

describe.skipIf(!gdal)('grid import checks (skipped without gdal-bin: the fixture files are written by ogr2ogr)', () => {
  it('finds every deliberate problem with its kind, code, place and size, and writes nothing', { timeout: 120_000 }, async () => {
    const before = await cellCount()
    const report = join(bad.dir, 'problems.geojson')
    const lines: string[] = []
    const result = await importGrid(db.sql, options([bad.shp], { dryRun: false, yes: true, report }), (l) => lines.push(l))
    expect(result.status).toBe(2)
    expect(lines.join('\n')).toContain('nothing written')
    expect(await cellCount()).toBe(before)
    const find = (kind: string, code: string) => result.problems.filter((p) => p.kind === kind && p.code === code)

    const [gap] = find('gap', PROBLEMS.gap.code)
    expect(gap).toMatchObject({ severity: 'warning' })
    expect(gap!.areaM2!).toBeCloseTo(PROBLEMS.gap.areaM2, -3)
    expect(gap!.message).toMatch(/\(12\.4\d%\) is covered by none of its children/)
    expect(await holds(gap!.geometry, at(PROBLEMS.gap.at))).toBe(true)

    const [overlap] = find('overlap', PROBLEMS.overlap.code)
    expect(overlap).toMatchObject({ severity: 'error' })
    expect(overlap!.message).toContain('445999002002')
    expect(overlap!.areaM2!).toBeCloseTo(PROBLEMS.overlap.areaM2, -3)
    expect(await holds(overlap!.geometry, at(PROBLEMS.overlap.at))).toBe(true)

    const [outside] = find('outside-parent', PROBLEMS.outsideParent.code)
    expect(outside).toMatchObject({ severity: 'error' })
    expect(outside!.areaM2!).toBeCloseTo(PROBLEMS.outsideParent.areaM2, -3)
    expect(await holds(outside!.geometry, at(PROBLEMS.outsideParent.at))).toBe(true)

    const [invalid] = find('invalid-geometry', PROBLEMS.invalid.code)
    expect(invalid).toMatchObject({ severity: 'warning', geometry: { type: 'Point' } })
    expect(invalid!.message).toMatch(/Self-intersection.*repaired with ST_MakeValid/)
    expect(await holds(invalid!.geometry, at(PROBLEMS.invalid.at))).toBe(true)

    const [sliver] = find('sliver', PROBLEMS.sliver.code)
    expect(sliver).toMatchObject({ severity: 'warning' })
    expect(sliver!.areaM2!).toBeCloseTo(PROBLEMS.sliver.areaM2, -2)
    expect(await holds(sliver!.geometry, at(PROBLEMS.sliver.at))).toBe(true)

    expect(find('code-duplicate', PROBLEMS.duplicate.code)).toHaveLength(2)
    expect(find('code-duplicate', PROBLEMS.duplicate.code)[0]).toMatchObject({ severity: 'error' })
    expect(find('parent-missing', PROBLEMS.parentMissing.code)).toMatchObject([{ severity: 'error', message: expect.stringContaining('445999009') }])
    expect(find('level-mismatch', PROBLEMS.levelMismatch.code)).toMatchObject([{ severity: 'error', message: expect.stringContaining('level 4 needs 15') }])

    // Nothing else: the correct parts of the county raise nothing (the bow-tie's repair leaves its
    // town two uncovered triangles, a true gap).
    const others = result.problems.filter(
      (p) => !Object.values(PROBLEMS).some((expected) => expected.code === p.code) && !(p.kind === 'gap' && p.code === '445999003'),
    )
    expect(others).toEqual([])

    // The report: one feature per problem, opened by GDAL with the documented fields.
    const info = execFileSync('ogrinfo', ['-so', '-al', report], { encoding: 'utf8' })
    expect(info).toContain(`Feature Count: ${result.problems.length}`)
    for (const field of ['code: String', 'kind: String', 'severity: String', 'areaM2: Real', 'message: String']) expect(info).toContain(field)
    const features = JSON.parse(readFileSync(report, 'utf8')).features as { properties: Record<string, unknown> }[]
    expect(features.map((f) => f.properties.kind)).toEqual(result.problems.map((p) => p.kind))
  })

  it('passes the corrected county read from every format, with no problem at all', { timeout: 120_000 }, async () => {
    for (const file of [good.shp, good.gpkg, good.fgb, good.geojson]) {
      const result = await importGrid(db.sql, options([file]), () => {})
      expect({ file, problems: result.problems }).toEqual({ file, problems: [] })
      expect(result.status).toBe(0)
      expect(result.cells).toHaveLength(correctCounty().length)
    }
  })

  it('takes a parent from the current grid when the file holds only the level below', { timeout: 60_000 }, async () => {
    const [town] = await db.sql<{ code: string }[]>`select code from grid_cell where level = 2 order by code limit 1`
    const { writeFileSync } = await import('node:fs')
    const file = join(good.dir, 'villages.geojson')
    const [village] = await db.sql<{ geometry: string }[]>`
      select ST_AsGeoJSON(ST_Buffer(ST_PointOnSurface(geom)::geography, 50)::geometry) as geometry from grid_cell where code = ${town!.code}`
    writeFileSync(
      file,
      JSON.stringify({
        type: 'FeatureCollection',
        features: [{ type: 'Feature', properties: { code: `${town!.code}999`, name: '新村' }, geometry: JSON.parse(village!.geometry) }],
      }),
    )
    const result = await importGrid(db.sql, options([file]), () => {})
    expect(result.check?.databaseParents).toEqual([town!.code])
    expect(result.problems.filter((p) => p.kind !== 'gap')).toEqual([])
  })
})

const runCli = (args: string[]) => runCommand('server/imports/cli.ts', args)

// The command as a separate process: only on an external PostgreSQL (the embedded one is served to one process).
describe.skipIf(!gdal || inject('databaseMode') !== 'external')('npm run import -- grid', () => {
  it('exits 2 on blocking problems with the report, 1 with a sentence for what it cannot read', { timeout: 120_000 }, async () => {
    const report = join(bad.dir, 'cli-problems.geojson')
    const blocked = await runCli(['grid', bad.shp, '--dry-run', '--report', report])
    expect(blocked.code, blocked.err).toBe(2)
    expect(blocked.out).toContain('ERROR   overlap          445999002001')
    expect(blocked.err).toContain('{"progress":"check: overlap"')
    expect(JSON.parse(readFileSync(report, 'utf8')).features.length).toBeGreaterThan(8)
    const unreadable = await runCli(['grid', join(bad.dir, 'missing.gpkg')])
    expect(unreadable.code).toBe(1)
    expect(unreadable.err).not.toMatch(/at .*\.ts:\d+/)
    const usage = await runCli(['grid', bad.shp, '--tolerance-m', 'x'])
    expect(usage).toMatchObject({ code: 1, err: expect.stringContaining('--tolerance-m') })
  })
})
