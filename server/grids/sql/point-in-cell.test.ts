/**
 * The point-in-cell fragments for a fixed point, as snapshots (text + bound values). Needs no database.
 */
import { expect, it } from 'vitest'
import { offlineSql as sql, sqlSnapshot } from '../../../test/support/sql-text.ts'
import { coversPoint, householdGroupAt, pointGeometry } from './point-in-cell.ts'

it('finds the household group of a bound point', () => {
  expect(sqlSnapshot(sql`select ${householdGroupAt(sql, pointGeometry(sql, { lon: 111.01, lat: 21.5 }))} as cell`)).toMatchSnapshot()
})

it('finds the household group of a point column', () => {
  expect(sqlSnapshot(householdGroupAt(sql, sql`r.point`))).toMatchSnapshot()
})

it('finds every cell covering a point', () => {
  expect(sqlSnapshot(coversPoint(sql, pointGeometry(sql, { lon: 111.01, lat: 21.5 })))).toMatchSnapshot()
})
