import { describe, expect, it } from 'vitest'
import { ancestorCodes, codeLength, GRID_CODE_PATTERN, levelOfCode } from './codes.ts'

describe('grid codes above and below the county', () => {
  it('reads each level off the length of the code, and back', () => {
    for (const [code, level] of [
      ['44', -1],
      ['4409', 0],
      ['440904', 1],
      ['440904004', 2],
      ['440904004204003002', 5],
    ] as const) {
      expect(levelOfCode(code)).toBe(level)
      expect(codeLength(level)).toBe(code.length)
    }
  })

  it('lists the ancestors from the province down, whether or not they are loaded', () => {
    expect(ancestorCodes('440904004204')).toEqual(['44', '4409', '440904', '440904004'])
    expect(ancestorCodes('4409')).toEqual(['44'])
    expect(ancestorCodes('44')).toEqual([])
  })

  it('accepts 2, 4, 6, 9, 12, 15 and 18 digits only', () => {
    const accepted = Array.from({ length: 20 }, (_, n) => '4'.repeat(n + 1)).filter((code) => GRID_CODE_PATTERN.test(code))
    expect(accepted.map((code) => code.length)).toEqual([2, 4, 6, 9, 12, 15, 18])
  })
})
