import { describe, expect, it } from 'vitest'
import type { ActiveAlert } from '../alerts.ts'
import { alertPulseRings, alertsPulsing, PULSE_FOR_MS, PULSE_PERIOD_MS } from './wall-layers.ts'

const alert = (raisedAt: number): ActiveAlert => ({
  eventId: 1,
  incidentId: 1,
  title: '老人走失',
  category: 'missing.person',
  severity: 4,
  gridCode: '440904001001001001',
  position: [111.0, 21.5],
  reasons: ['severity'],
  raisedAt,
})

describe('alert rings on the wall map', () => {
  const raised = 1_000_000

  it('pulse while the alert is new: two rings, expanding with the frame clock', () => {
    expect(alertsPulsing([alert(raised)], raised + PULSE_FOR_MS - 1)).toBe(true)
    const early = alertPulseRings([alert(raised)], 0, raised + 1000, 10)
    const later = alertPulseRings([alert(raised)], PULSE_PERIOD_MS / 4, raised + 1000, 10)
    expect(early).toHaveLength(2)
    expect(later[0]!.radius).toBeGreaterThan(early[0]!.radius)
  })

  it('then stand still as one ring, whatever the frame clock, so the map stops redrawing', () => {
    const settled = raised + PULSE_FOR_MS
    expect(alertsPulsing([alert(raised)], settled)).toBe(false)
    const a = alertPulseRings([alert(raised)], 0, settled, 10)
    const b = alertPulseRings([alert(raised)], PULSE_PERIOD_MS / 3, settled + 5000, 10)
    expect(a).toHaveLength(1)
    expect(b).toEqual(a)
  })

  it('keep the clock running while any alert is new', () => {
    expect(alertsPulsing([alert(raised), alert(raised + PULSE_FOR_MS)], raised + PULSE_FOR_MS + 10)).toBe(true)
    expect(alertsPulsing([], raised)).toBe(false)
  })
})
