import { describe, expect, it } from 'vitest'
import { pulseFrames } from './incident-pulse-layer.ts'

describe('pulseFrames', () => {
  const pulse = { id: 7, position: [111, 21.5] as [number, number], category: 'dispute.neighbour', at: 1000 }
  const colorOf = () => [200, 100, 50, 255] as [number, number, number, number]

  it('grows the ring and fades it over the pulse', () => {
    const [start] = pulseFrames([pulse], 1000, colorOf)
    const [middle] = pulseFrames([pulse], 2000, colorOf)
    expect(start!.radius).toBeLessThan(middle!.radius)
    expect(start!.color[3]).toBe(255)
    expect(middle!.color[3]).toBeLessThan(255)
  })

  it('leaves out finished pulses', () => {
    expect(pulseFrames([pulse], 3000, colorOf)).toEqual([])
  })
})
