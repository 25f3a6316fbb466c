/**
 * The SQL the incident fragments produce for fixed inputs, as snapshots (text + bound values):
 * a change to the generated SQL shows in the diff of __snapshots__/sql.test.ts.snap. Needs no
 * database: postgres.js renders the text without a connection (test/support/sql-text.ts).
 */
import { describe, expect, it } from 'vitest'
import { offlineSql as sql, renderSql, sqlSnapshot } from '../../../test/support/sql-text.ts'
import { incidentColumns } from './columns.ts'
import { eventOrderLock } from './events.ts'
import { closedRateFigures, openFigures } from './figures.ts'
import { incidentWhere } from './filter.ts'
import { caseIsOpen, caseIsOverdue } from './status.ts'

describe('incidentWhere', () => {
  it('applies the scope alone', () => {
    expect(sqlSnapshot(incidentWhere(sql, { scope: '440904004' }))).toMatchSnapshot()
  })

  it('applies every filter field, each value bound', () => {
    expect(
      sqlSnapshot(
        incidentWhere(sql, {
          scope: '440904',
          grid: '440904004',
          category: ['dispute', 'hazard.power'],
          status: ['reported', 'handling'],
          severity: [3, 4],
          from: '2026-01-01T00:00:00+08:00',
          to: '2026-02-01T00:00:00+08:00',
          overdue: '1',
          escalated: '1',
          q: '50%_纠纷',
          bbox: [110.9, 21.4, 111.2, 21.7],
        }),
      ),
    ).toMatchSnapshot()
  })

  it('says scope and grid with one LIKE on the narrower prefix, and nothing when they are apart', () => {
    const text = (scope: string, grid?: string) => sqlSnapshot(incidentWhere(sql, { scope, grid }))
    expect(text('440904', '440904004')).toEqual(text('440904004'))
    expect(text('440904004', '440904')).toEqual(text('440904004'))
    expect(text('440904004', '440904004').match(/like/g)).toHaveLength(1)
    expect(text('440904004', '440902')).toMatch(/^false$/m)
  })

  it('negates overdue and escalated', () => {
    expect(sqlSnapshot(incidentWhere(sql, { scope: '440904', overdue: '0', escalated: '0' }))).toMatchSnapshot()
  })

  it('binds hostile text instead of splicing it', () => {
    const hostile = "x' or 1=1; drop table incident; --"
    const { text, params } = renderSql(incidentWhere(sql, { scope: '440904', q: hostile }))
    expect(text).not.toContain('drop table')
    expect(params).toContain(`%${hostile}%`)
  })

  it('refuses a filter without the viewer scope', () => {
    expect(() => incidentWhere(sql, { scope: '' })).toThrow(/viewer scope/)
  })
})

describe('incident fragments', () => {
  it('the open and overdue predicates', () => {
    expect(sqlSnapshot(sql`${caseIsOpen(sql)} / ${caseIsOverdue(sql)} / ${caseIsOverdue(sql, sql`${'2026-03-01T00:00:00Z'}::timestamptz`)}`)).toMatchSnapshot()
  })

  it('the roll-up figures', () => {
    expect(sqlSnapshot(sql`select ${openFigures(sql)}, ${closedRateFigures(sql)} from incident i`)).toMatchSnapshot()
  })

  it('the columns of an incident as the API shows it', () => {
    expect(sqlSnapshot(sql`select ${incidentColumns(sql)} from incident i`)).toMatchSnapshot()
  })

  it('the event-order lock', () => {
    expect(sqlSnapshot(eventOrderLock(sql))).toMatchSnapshot()
  })
})
