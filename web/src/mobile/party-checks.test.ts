import { describe, expect, it } from 'vitest'
import { computeIdCheckChar, findIdNumberProblem, isMobileNumber, normalizeDigits } from './party-checks.ts'

describe('resident ID numbers (GB 11643)', () => {
  it("computes the check character of the standard's own example", () => {
    // GB 11643-1999 appendix: 11010519491231002X.
    expect(computeIdCheckChar('11010519491231002')).toBe('X')
    expect(findIdNumberProblem('11010519491231002X')).toBeNull()
  })

  it('accepts numbers whose check character is a digit, and a lower-case x', () => {
    expect(computeIdCheckChar('44090419900307123')).toBe('2')
    expect(findIdNumberProblem('440904199003071232')).toBeNull()
    expect(findIdNumberProblem('11010519491231002x')).toBeNull()
    expect(findIdNumberProblem('4409 0419 9003 0712 32')).toBeNull()
  })

  it('finds one mistyped digit and two swapped digits', () => {
    expect(findIdNumberProblem('440904199003071233')).toBe('checkDigit')
    expect(findIdNumberProblem('440904199003071322')).toBe('checkDigit')
    expect(findIdNumberProblem('11010519491231002Y')).toBe('format')
  })

  it('refuses wrong lengths and impossible birth dates', () => {
    expect(findIdNumberProblem('44090419900307123')).toBe('format')
    expect(findIdNumberProblem('4409041990030712366')).toBe('format')
    const feb30 = '4409041990023012' + '3'
    expect(findIdNumberProblem(feb30 + computeIdCheckChar(feb30))).toBe('birthDate')
    const future = '44090420990101123'
    expect(findIdNumberProblem(future + computeIdCheckChar(future), new Date('2026-11-30'))).toBe('birthDate')
  })
})

describe('mobile numbers', () => {
  it('accepts 11 digits starting 13 to 19, with spaces or dashes', () => {
    expect(isMobileNumber('13800138000')).toBe(true)
    expect(isMobileNumber('199 0000 1111')).toBe(true)
    expect(isMobileNumber('138-0013-8000')).toBe(true)
  })

  it('refuses landlines, short numbers and other prefixes', () => {
    expect(isMobileNumber('0668-1234567')).toBe(false)
    expect(isMobileNumber('1380013800')).toBe(false)
    expect(isMobileNumber('138001380001')).toBe(false)
    expect(isMobileNumber('12800138000')).toBe(false)
    expect(isMobileNumber('1380013800a')).toBe(false)
  })

  it('normalizes what people type between digit groups', () => {
    expect(normalizeDigits(' 138 0013-8000 ')).toBe('13800138000')
  })
})
