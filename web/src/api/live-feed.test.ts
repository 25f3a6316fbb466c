import { describe, expect, it } from 'vitest'
import { receiptOf, replayOf, resumePoint } from './live-feed.ts'

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

describe('receiptOf', () => {
  it('takes the incidents a resume from an earlier notice sends again as a replay, each once and in order', () => {
    // Incidents up to 120 received, the last notice 118: the stream resumes after 118 and sends 119 and 120 again.
    const replay = replayOf(resumePoint(120, 118), 120)!
    expect(replay).toEqual({ after: 118, upTo: 120, seen: 118 })
    expect(receiptOf(119, 120, replay)).toBe('replayed')
    replay.seen = 119
    expect(receiptOf(119, 120, replay)).toBe('duplicate')
    expect(receiptOf(120, 120, replay)).toBe('replayed')
    replay.seen = 120
    expect(receiptOf(121, 120, replay)).toBe('new')
  })

  it('counts anything else already received as a duplicate', () => {
    const replay = replayOf(118, 120)!
    // At or before the resume point: the server should not have sent it.
    expect(receiptOf(118, 120, replay)).toBe('duplicate')
    expect(receiptOf(100, 120, replay)).toBe('duplicate')
    // Resumed after the last incident itself: nothing is replayed.
    expect(replayOf(120, 120)).toBeNull()
    expect(receiptOf(120, 120, null)).toBe('duplicate')
    expect(receiptOf(5, null, null)).toBe('new')
  })
})
