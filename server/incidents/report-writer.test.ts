/**
 * The report writer's one statement for a group of reports, as a snapshot (text + bound
 * values): the point-in-cell lookup, the scope condition, the event-order lock and the NOTIFY
 * all show in the diff when they change. Needs no database.
 */
import { expect, it } from 'vitest'
import { offlineSql as sql, sqlSnapshot } from '../../test/support/sql-text.ts'
import { reportGroupInsert } from './report-writer.ts'

it('writes a group of reports in one statement, each in its household group inside its reporter scope', () => {
  expect(
    sqlSnapshot(
      reportGroupInsert(sql, [
        {
          ordinal: 0,
          category: 'dispute.neighbour',
          severity: 2,
          title: '邻里纠纷',
          description: '',
          source: 'patrol',
          reporter: '网格员',
          occurred_at: null,
          lon: 111.01,
          lat: 21.5,
          parties: [],
          idempotency_key: 'key-0001',
          request_hash: 'f'.repeat(64),
          level: 5,
          actor: 'gridworker',
          scope: '440904004001',
        },
      ]),
    ),
  ).toMatchSnapshot()
})
