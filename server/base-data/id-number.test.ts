import { describe, expect, it } from 'vitest'
import { findIdNumberProblem, idCheckCharacter, isDocumentNumber, isPhoneNumber, maskIdNumber, normalizeIdNumber } from './id-number.ts'

const TODAY = new Date('2026-12-01T00:00:00Z')

describe('GB 11643 resident ID numbers', () => {
  it('computes the ISO 7064 MOD 11-2 check character of the standard’s own example and of others', () => {
    // The example of GB 11643-1999 (appendix): 11010519491231002X.
    expect(idCheckCharacter('11010519491231002')).toBe('X')
    expect(idCheckCharacter('44052419800101001')).toBe('3')
    expect(idCheckCharacter('44090420000101001')).toBe('X')
    expect(idCheckCharacter('44090419800512003')).toBe('X')
    expect(idCheckCharacter('11010119900307757')).toBe('1')
  })

  it('accepts well-formed numbers, a lower-case x and digits grouped with spaces', () => {
    expect(findIdNumberProblem('11010519491231002X', TODAY)).toBeNull()
    expect(findIdNumberProblem(normalizeIdNumber('110105 19491231 002x'), TODAY)).toBeNull()
    expect(findIdNumberProblem('440524198001010013', TODAY)).toBeNull()
  })

  it('finds a wrong check character, including one digit typed wrong anywhere', () => {
    expect(findIdNumberProblem('110105194912310021', TODAY)).toBe('check-digit')
    const good = '11010519491231002X'
    for (let i = 0; i < 17; i++) {
      if (i >= 6 && i < 14) continue // the birth date has its own check
      const d = String((Number(good[i]) + 1) % 10)
      expect(findIdNumberProblem(good.slice(0, i) + d + good.slice(i + 1), TODAY), `digit ${i + 1}`).toBe('check-digit')
    }
  })

  it('finds a birth date that does not exist, lies in the future or before 1900', () => {
    const withCheck = (body: string) => body + idCheckCharacter(body)
    expect(findIdNumberProblem(withCheck('44090419900230001'), TODAY)).toBe('birth-date')
    expect(findIdNumberProblem(withCheck('44090419901301001'), TODAY)).toBe('birth-date')
    expect(findIdNumberProblem(withCheck('44090420300101001'), TODAY)).toBe('birth-date')
    expect(findIdNumberProblem(withCheck('44090418991231001'), TODAY)).toBe('birth-date')
    expect(findIdNumberProblem(withCheck('44090420000229001'), TODAY)).toBeNull()
  })

  it('refuses other lengths and characters', () => {
    for (const bad of ['', '4409041990', '11010519491231002Y', '1101051949123100211', 'A1010519491231002X'])
      expect(findIdNumberProblem(bad, TODAY)).toBe('format')
  })

  it('tells an overseas document number from a resident ID number, and masks as the database does', () => {
    expect(isDocumentNumber('E12345678')).toBe(true)
    expect(isDocumentNumber('11010519491231002X')).toBe(false)
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X')
    expect(isPhoneNumber('13800138000')).toBe(true)
    expect(isPhoneNumber('0668-5123456')).toBe(true)
    expect(isPhoneNumber('12345')).toBe(false)
  })
})
