/**
 * Checks on the parties a grid worker types in the field, so a mistyped digit is caught on the
 * phone rather than found months later in the case file. A mainland mobile number is 11 digits
 * starting 13–19; a resident ID number (GB 11643-1999) is 17 digits and a check character
 * computed with ISO 7064 MOD 11-2 over them, plus a plausible birth date in digits 7–14.
 */

const MOBILE_PATTERN = /^1[3-9][0-9]{9}$/
const ID_PATTERN = /^[0-9]{17}[0-9X]$/
/** Weights 2^(17-i) mod 11 for positions 1..17 (GB 11643-1999, ISO 7064 MOD 11-2). */
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const
const ID_CHECK_CHARS = '10X98765432'

/** Removes spaces and dashes people type between digit groups; a lower-case x becomes X. */
export function normalizeDigits(value: string): string {
  return value.replace(/[\s-]/g, '').toUpperCase()
}

export function isMobileNumber(value: string): boolean {
  return MOBILE_PATTERN.test(normalizeDigits(value))
}

/** The check character of the first 17 digits of a resident ID number. */
export function computeIdCheckChar(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!
  return ID_CHECK_CHARS[sum % 11]!
}

export type IdNumberProblem = 'format' | 'birthDate' | 'checkDigit'

/** Why an 18-character resident ID number is wrong, or null when it is well formed. */
export function findIdNumberProblem(value: string, today = new Date()): IdNumberProblem | null {
  const id = normalizeDigits(value)
  if (!ID_PATTERN.test(id)) return 'format'
  const year = Number(id.slice(6, 10))
  const month = Number(id.slice(10, 12))
  const day = Number(id.slice(12, 14))
  const birth = new Date(Date.UTC(year, month - 1, day))
  if (year < 1900 || birth.getUTCMonth() !== month - 1 || birth.getUTCDate() !== day || birth.getTime() > today.getTime()) return 'birthDate'
  return computeIdCheckChar(id.slice(0, 17)) === id[17] ? null : 'checkDigit'
}
