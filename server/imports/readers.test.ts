/**
 * Every reader gives the same cells for the same county: GeoJSON, a Shapefile with GBK attributes
 * (its .cpg, or --encoding when the .cpg is missing, and as a .zip), a GeoPackage and FlatGeobuf,
 * all written by GDAL's ogr2ogr from one GeoJSON in EPSG:4547 metres.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { zipSync } from 'fflate'
import { afterAll, describe, expect, it } from 'vitest'
import { correctCounty, hasOgr2ogr, ORIGIN, writeFixtureFiles } from '../../test/support/county-fixture.ts'
import { cellsOfLayers, parseFieldMap } from './cells.ts'
import { createTransform, epsgSpec } from './crs.ts'
import { encodingOfCpg, readGridFile } from './readers/index.ts'

describe.skipIf(!hasOgr2ogr())('grid file readers (skipped without gdal-bin: the fixtures are written by ogr2ogr)', () => {
  const files = hasOgr2ogr() ? writeFixtureFiles(correctCounty()) : undefined!
  afterAll(() => files && rmSync(files.dir, { recursive: true, force: true }))
  const expected = correctCounty()
  const corner = createTransform(epsgSpec(4547))([ORIGIN[0] + 4000, ORIGIN[1] + 2000])

  async function cellsOf(path: string, options = {}) {
    const { cells } = cellsOfLayers(await readGridFile(path, options))
    return cells
  }

  function expectCounty(cells: Awaited<ReturnType<typeof cellsOf>>) {
    // FlatGeobuf's spatial index orders features by place, so compare by code.
    const byCode = (a: unknown[], b: unknown[]) => (String(a[0]) < String(b[0]) ? -1 : 1)
    expect(cells.map((c) => [c.code, c.name, c.level, c.parentCode]).sort(byCode)).toEqual(
      expected.map((c) => [c.编码, c.名称, c.层级, c.层级 > 1 ? c.编码.slice(0, -3) : null]).sort(byCode),
    )
    // 江滨社区's north-east corner (local 4000, 2000) is a vertex in WGS 84 as proj4 computes it.
    const village = cells.find((c) => c.code === '445999002001')!
    const vertices = village.geometry!.coordinates.flat(2)
    expect(vertices.some(([x, y]) => Math.abs(x! - corner[0]) < 1e-8 && Math.abs(y! - corner[1]) < 1e-8)).toBe(true)
  }

  it('reads GeoJSON with its crs member', async () => expectCounty(await cellsOf(files.geojson)))
  it('reads a Shapefile with GBK attributes named by its .cpg, and its .prj', async () => {
    expect(readFileSync(files.shp.replace(/\.shp$/, '.cpg'), 'utf8').trim()).toBe('GBK')
    expect(readFileSync(files.shp.replace(/\.shp$/, '.dbf')).includes(Buffer.from('东岭镇'))).toBe(false)
    expectCounty(await cellsOf(files.shp))
  })
  it('reads a zipped Shapefile, with --encoding when it has no .cpg', async () => {
    const stem = files.shp.replace(/\.shp$/, '')
    const zip = join(files.dir, 'county.zip')
    writeFileSync(zip, zipSync(Object.fromEntries(['shp', 'shx', 'dbf', 'prj'].map((ext) => [`县/county.${ext}`, readFileSync(`${stem}.${ext}`)]))))
    expectCounty(await cellsOf(zip, { encoding: 'gbk' }))
    await expect(cellsOf(zip)).rejects.toThrow('the attribute encoding seems wrong: use --encoding gbk')
  })
  it('reads a GeoPackage with its srs', async () => expectCounty(await cellsOf(files.gpkg)))
  it('reads FlatGeobuf with its crs', async () => expectCounty(await cellsOf(files.fgb)))

  it('chooses a layer, and says which exist', async () => {
    expect(await readGridFile(files.gpkg, { layer: 'county' })).toHaveLength(1)
    await expect(readGridFile(files.gpkg, { layer: 'nope' })).rejects.toThrow('no layer "nope" (layers: county)')
  })

  it('maps other field names with --map', async () => {
    const layers = await readGridFile(files.geojson)
    for (const f of layers[0]!.features) f.properties = { DM: f.properties['编码'], MC: f.properties['名称'] }
    const { cells } = cellsOfLayers(layers, { map: parseFieldMap('code=DM,name=MC') })
    expect(cells[1]).toMatchObject({ code: '445999001', name: '东岭镇', level: 2, parentCode: '445999' })
    expect(() => cellsOfLayers(layers, { map: { code: 'XX' } })).toThrow('--map code=XX: no such field (fields: DM, MC)')
    expect(() => parseFieldMap('colour=X')).toThrow('--map')
  })

  it('names the code pages a .cpg may hold', () => {
    expect(['GBK', '936', 'ANSI 936', 'UTF-8', '65001'].map(encodingOfCpg)).toEqual(['gbk', 'gbk', 'gbk', 'utf-8', 'utf-8'])
  })

  it('refuses what it cannot read with a sentence', async () => {
    const bad = join(files.dir, 'bad.geojson')
    writeFileSync(bad, '{"type":')
    await expect(readGridFile(bad)).rejects.toThrow('bad.geojson: not valid JSON')
    await expect(readGridFile(join(files.dir, 'x.kml'))).rejects.toThrow()
  })
})
