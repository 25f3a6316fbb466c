import { describe, expect, it } from 'vitest'
import { matchesEtag, parseRange } from './range.ts'

describe('parseRange', () => {
  it('reads one range, an open range and a suffix, clamped to the file', () => {
    expect(parseRange('bytes=0-127', 1000)).toEqual({ kind: 'partial', start: 0, end: 127 })
    expect(parseRange('bytes=900-', 1000)).toEqual({ kind: 'partial', start: 900, end: 999 })
    expect(parseRange('bytes=900-5000', 1000)).toEqual({ kind: 'partial', start: 900, end: 999 })
    expect(parseRange('bytes=-100', 1000)).toEqual({ kind: 'partial', start: 900, end: 999 })
    expect(parseRange('bytes=-5000', 1000)).toEqual({ kind: 'partial', start: 0, end: 999 })
  })
  it('answers unsatisfiable for a start beyond the file and an empty suffix', () => {
    expect(parseRange('bytes=1000-', 1000)).toEqual({ kind: 'unsatisfiable' })
    expect(parseRange('bytes=5000-6000', 1000)).toEqual({ kind: 'unsatisfiable' })
    expect(parseRange('bytes=-0', 1000)).toEqual({ kind: 'unsatisfiable' })
  })
  it('ignores what it may ignore: no header, other units, several ranges, reversed or malformed ranges', () => {
    for (const header of [undefined, '', 'items=0-1', 'bytes=0-1,5-6', 'bytes=9-3', 'bytes=-', 'bytes=a-b'])
      expect(parseRange(header, 1000)).toEqual({ kind: 'whole' })
  })
})

describe('matchesEtag', () => {
  it('compares weakly, in a list, and matches *', () => {
    expect(matchesEtag('"abc"', '"abc"')).toBe(true)
    expect(matchesEtag('W/"abc"', '"abc"')).toBe(true)
    expect(matchesEtag('"x", "abc"', '"abc"')).toBe(true)
    expect(matchesEtag('*', '"abc"')).toBe(true)
    expect(matchesEtag('"abd"', '"abc"')).toBe(false)
    expect(matchesEtag(undefined, '"abc"')).toBe(false)
  })
})
