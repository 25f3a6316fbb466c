/**
 * The CQL2 text parser: the basic-cql2 forms, spatial and temporal functions, precedence, and
 * hostile input (injection attempts stay literals, deep nesting, huge polygons, odd characters)
 * refused with a sentence saying where.
 */
import { describe, expect, it } from 'vitest'
import { CQL2_LIMITS, Cql2Error, parseCql2 } from './cql2-parse.ts'

describe('parseCql2', () => {
  it('parses comparisons, IS NULL, AND/OR/NOT with AND binding tighter', () => {
    expect(parseCql2("status = 'open' OR severity >= 3 AND NOT closed_at IS NULL")).toEqual({
      op: 'or',
      args: [
        { op: 'compare', cmp: '=', property: 'status', value: { kind: 'string', value: 'open' } },
        {
          op: 'and',
          args: [
            { op: 'compare', cmp: '>=', property: 'severity', value: { kind: 'number', value: 3 } },
            { op: 'not', arg: { op: 'isNull', property: 'closed_at', negated: false } },
          ],
        },
      ],
    })
    expect(parseCql2('3 < severity')).toEqual({ op: 'compare', cmp: '>', property: 'severity', value: { kind: 'number', value: 3 } })
    expect(parseCql2('"town" <> \'440904004\' and closed_at is not null')).toMatchObject({
      op: 'and',
      args: [
        { property: 'town', cmp: '<>' },
        { op: 'isNull', negated: true },
      ],
    })
    expect(parseCql2("reported_at > TIMESTAMP('2026-03-01T00:00:00Z')")).toMatchObject({ value: { kind: 'timestamp', value: '2026-03-01T00:00:00Z' } })
  })

  it('parses S_INTERSECTS with BBOX (4 or 6), POINT and POLYGON, and T_INTERSECTS with instants and open intervals', () => {
    expect(parseCql2('S_INTERSECTS(geometry, BBOX(111, 21.4, 111.1, 21.5))')).toMatchObject({ geometry: { kind: 'bbox', coords: [111, 21.4, 111.1, 21.5] } })
    expect(parseCql2('S_INTERSECTS(geometry, BBOX(111, 21.4, 0, 111.1, 21.5, 9))')).toMatchObject({
      geometry: { kind: 'bbox', coords: [111, 21.4, 111.1, 21.5] },
    })
    expect(parseCql2('S_INTERSECTS(geometry, POLYGON((111 21, 112 21, 112 22, 111 21)))')).toMatchObject({
      geometry: {
        kind: 'polygon',
        rings: [
          [
            [111, 21],
            [112, 21],
            [112, 22],
            [111, 21],
          ],
        ],
      },
    })
    expect(parseCql2("T_INTERSECTS(datetime, INTERVAL('2026-01-01', '..'))")).toEqual({
      op: 't_intersects',
      property: 'datetime',
      temporal: { kind: 'interval', start: '2026-01-01', end: null },
    })
    expect(parseCql2("T_INTERSECTS(reported_at, DATE('2026-03-01'))")).toMatchObject({ temporal: { kind: 'instant', value: '2026-03-01' } })
  })

  it('keeps quotes and SQL inside string literals as data', () => {
    expect(parseCql2("title = 'x''; drop table incident; --'")).toMatchObject({ value: { kind: 'string', value: "x'; drop table incident; --" } })
  })

  it('refuses malformed and hostile input with a sentence saying where', () => {
    const cases: [string, RegExp][] = [
      ['status =', /value/],
      ["status = 'open", /unterminated string/],
      ['status == 1', /value/],
      ['status = 1; drop table incident', /unexpected character ";"/],
      ['(status = 1', /expected "\)"/],
      ["status LIKE 'a%'", /comparison/],
      ['S_INTERSECTS(geometry, BBOX(1, 2, 3))', /4 or 6/],
      ['S_INTERSECTS(geometry, POLYGON((1 1, 2 2, 1 1)))', /ring/],
      ["T_INTERSECTS(datetime, TIMESTAMP('yesterday'))", /ISO 8601/],
      ['AND', /property name|value/],
      ['', /ends/],
      ['severity = 1e999', /out of range/],
      ['NOT '.repeat(CQL2_LIMITS.maxDepth + 5) + 'severity = 1', /nests deeper/],
      ['('.repeat(200) + 'severity = 1' + ')'.repeat(200), /nests deeper/],
      [`S_INTERSECTS(geometry, POLYGON((${Array.from({ length: 2500 }, () => '1 1').join(',')})))`, /coordinates/],
      ['x'.repeat(CQL2_LIMITS.maxLength + 1), /longer/],
      ['severity = 1 \u0000', /unexpected character/],
    ]
    for (const [text, message] of cases) {
      expect(() => parseCql2(text), text.slice(0, 60)).toThrow(Cql2Error)
      expect(() => parseCql2(text), text.slice(0, 60)).toThrow(message)
    }
  })
})
