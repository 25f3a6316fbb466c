import { describe, expect, it } from 'vitest'
import { resumePoint } from './live-feed.ts'

describe('resumePoint', () => {
  it('resumes after the smaller of the last incident and the last notice id', () => {
    expect(resumePoint(120, 118)).toBe(118)
    expect(resumePoint(118, 120)).toBe(118)
  })

  it('resumes after the one kind received when the other has not come yet, and from now without either', () => {
    expect(resumePoint(null, 42)).toBe(42)
    expect(resumePoint(42, null)).toBe(42)
    expect(resumePoint(null, null)).toBeNull()
  })
})
