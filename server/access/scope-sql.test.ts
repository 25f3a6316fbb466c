/**
 * The figures row a cell may show to a viewer, as a snapshot (text + bound values). Needs no database.
 */
import { expect, it } from 'vitest'
import { offlineSql as sql, sqlSnapshot } from '../../test/support/sql-text.ts'
import { scopedStatsCode } from './scope-sql.ts'

it('picks the cell itself inside the scope and the scope for its ancestors', () => {
  expect(sqlSnapshot(scopedStatsCode(sql, '440904004'))).toMatchSnapshot()
})
