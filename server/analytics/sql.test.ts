/**
 * The analyst's SQL builders for fixed inputs, as snapshots (text + bound values). Needs no database.
 */
import { expect, it } from 'vitest'
import { offlineSql as sql, sqlSnapshot } from '../../test/support/sql-text.ts'
import { pointsSelect } from './points.ts'
import { cellsInGrid } from './summary.ts'

it('selects the points of a filter in report order', () => {
  expect(
    sqlSnapshot(
      pointsSelect(sql, { scope: '440904', category: ['dispute'], from: '2026-01-01T00:00:00+08:00' }, ['dispute.neighbour', 'dispute.land'], 500_000),
    ),
  ).toMatchSnapshot()
})

it('selects the cells of a level inside a grid, or the one containing it', () => {
  expect(sqlSnapshot(cellsInGrid(sql, 3, '440904004'))).toMatchSnapshot()
  expect(sqlSnapshot(cellsInGrid(sql, 2, undefined))).toMatchSnapshot()
})
