import { describe, expect, it } from 'vitest'
import { measureDue } from './due-time.ts'

const NOW = Date.parse('2026-12-01T08:00:00Z')

describe('measureDue', () => {
  it('says minutes, hours or days left, and marks the next four hours as soon', () => {
    expect(measureDue('2026-12-01T08:20:00Z', NOW)).toEqual({ overdue: false, soon: true, unit: 'minutes', count: 20 })
    expect(measureDue('2026-12-01T11:00:00Z', NOW)).toEqual({ overdue: false, soon: true, unit: 'hours', count: 3 })
    expect(measureDue('2026-12-02T08:00:00Z', NOW)).toEqual({ overdue: false, soon: false, unit: 'hours', count: 24 })
    expect(measureDue('2026-12-05T08:00:00Z', NOW)).toEqual({ overdue: false, soon: false, unit: 'days', count: 4 })
  })

  it('says how long a case is overdue', () => {
    expect(measureDue('2026-11-30T08:00:00Z', NOW)).toEqual({ overdue: true, soon: false, unit: 'hours', count: 24 })
    expect(measureDue('2026-12-01T07:59:50Z', NOW)).toEqual({ overdue: true, soon: false, unit: 'minutes', count: 1 })
  })
})
