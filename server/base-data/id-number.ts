/**
 * Resident ID numbers (GB 11643-1999) and phone numbers as a county's spreadsheets hold them. An
 * ID number is 17 digits (6 of area, 8 of birth date, 3 of sequence) and a check character
 * computed with ISO 7064 MOD 11-2; a wrong digit typed anywhere changes the check character.
 */

const ID_PATTERN = /^[0-9]{17}[0-9X]$/
/** Weights 2^(17-i) mod 11 for positions 1..17. */
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const
const ID_CHECK_CHARS = '10X98765432'
/** An overseas resident's travel or residence document number (passport, 回乡证, 永居证). */
const DOCUMENT_PATTERN = /^[A-Z0-9]{5,20}$/
const MOBILE_PATTERN = /^1[3-9][0-9]{9}$/
const LANDLINE_PATTERN = /^0[1-9][0-9]{1,2}-?[0-9]{7,8}$/

/** Removes spaces and dashes people type between digit groups; a lower-case x becomes X. */
export function normalizeIdNumber(value: string): string {
  return value.replace(/[\s-]/g, '').toUpperCase()
}

/** The check character of the first 17 digits of a resident ID number. */
export function idCheckCharacter(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!
  return ID_CHECK_CHARS[sum % 11]!
}

export type IdNumberProblem = 'format' | 'birth-date' | 'check-digit'

/** Why an 18-character resident ID number is wrong, or null when it is well formed. */
export function findIdNumberProblem(id: string, today = new Date()): IdNumberProblem | null {
  if (!ID_PATTERN.test(id)) return 'format'
  const year = Number(id.slice(6, 10))
  const month = Number(id.slice(10, 12))
  const day = Number(id.slice(12, 14))
  const birth = new Date(Date.UTC(year, month - 1, day))
  if (year < 1900 || birth.getUTCMonth() !== month - 1 || birth.getUTCDate() !== day || birth.getTime() > today.getTime()) return 'birth-date'
  return idCheckCharacter(id.slice(0, 17)) === id[17] ? null : 'check-digit'
}

/** An overseas resident's document number (when it is not a resident ID number). */
export function isDocumentNumber(value: string): boolean {
  return DOCUMENT_PATTERN.test(value) && !/^[0-9]{17}[0-9X]$/.test(value)
}

/** Digits of a phone number as typed (spaces and brackets removed; a landline keeps its dash). */
export function normalizePhone(value: string): string {
  return value.replace(/[\s()（）]/g, '').replace(/^\+?86-?/, '')
}

/** A mainland mobile number (11 digits, 13–19) or a landline with its area code (0668-1234567). */
export function isPhoneNumber(value: string): boolean {
  return MOBILE_PATTERN.test(value) || LANDLINE_PATTERN.test(value)
}

/** Masks as the database's mask_id_number does: the area code and the last four stay. */
export function maskIdNumber(id: string): string {
  return id.length >= 10 ? id.slice(0, 6) + '*'.repeat(id.length - 10) + id.slice(-4) : '****'
}

/** Masks as mask_phone does: first three and last four digits stay. */
export function maskPhone(phone: string): string {
  return phone.length >= 7 ? phone.slice(0, 3) + '*'.repeat(phone.length - 7) + phone.slice(-4) : '****'
}

/** Masks as mask_name does: the surname stays (黄*). */
export function maskName(name: string): string {
  return name.length === 0 ? '' : `${[...name][0]}*`
}
