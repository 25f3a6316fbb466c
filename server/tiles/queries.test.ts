/**
 * The tile features subqueries for a fixed tile (the grid tile's for a fixed scope, and the
 * geometry tile's), with both clippings, as snapshots (text + bound values). Needs no database.
 */
import { expect, it } from 'vitest'
import { offlineSql as sql, sqlSnapshot } from '../../test/support/sql-text.ts'
import { featureRows, geometryFeatures, mvtStatement, tileFeatures } from './queries.ts'

it('builds a tile with ST_AsMVTGeom', () => {
  expect(sqlSnapshot(tileFeatures(sql, { z: 12, x: 3311, y: 1804, scope: '440904004' }, 'ST_AsMVTGeom'))).toMatchSnapshot()
})

it('builds a tile with the portable clipping', () => {
  expect(sqlSnapshot(tileFeatures(sql, { z: 12, x: 3311, y: 1804, scope: '440904004' }, 'portable'))).toMatchSnapshot()
})

it('builds a geometry tile with ST_AsMVTGeom: the current grid, no incident figures, no scope', () => {
  expect(sqlSnapshot(geometryFeatures(sql, { z: 12, x: 3311, y: 1804 }, 'ST_AsMVTGeom'))).toMatchSnapshot()
})

it('builds a geometry tile with the portable clipping', () => {
  expect(sqlSnapshot(geometryFeatures(sql, { z: 12, x: 3311, y: 1804 }, 'portable'))).toMatchSnapshot()
})

it('draws the simplified outlines of the town and above below z10', () => {
  expect(sqlSnapshot(geometryFeatures(sql, { z: 8, x: 207, y: 111 }, 'ST_AsMVTGeom'))).toMatchSnapshot()
})

it('draws the outlines simplified within 75 m below z8', () => {
  expect(sqlSnapshot(geometryFeatures(sql, { z: 7, x: 103, y: 56 }, 'ST_AsMVTGeom'))).toMatchSnapshot()
})

it('fences the features off the tile readers, so each geometry is clipped once', () => {
  const features = tileFeatures(sql, { z: 9, x: 413, y: 224, scope: '440904' }, 'ST_AsMVTGeom')
  expect(sqlSnapshot(mvtStatement(sql, features))).toMatchSnapshot()
  expect(sqlSnapshot(featureRows(sql, tileFeatures(sql, { z: 9, x: 413, y: 224, scope: '440904' }, 'portable'), ['code']))).toMatchSnapshot()
})
