import { describe, expect, it } from 'vitest'
import { placeTooltip, type Box } from './tooltip-placement.ts'

const MAP = { width: 1000, height: 800 }
const CARD = { width: 200, height: 100 }
const covers = (p: { left: number; top: number }, b: Box) => p.left < b[2] && b[0] < p.left + CARD.width && p.top < b[3] && b[1] < p.top + CARD.height

describe('placeTooltip', () => {
  it('goes right and below the pointer when nothing is there', () => {
    expect(placeTooltip({ x: 300, y: 300 }, CARD, MAP, [])).toEqual({ left: 316, top: 316 })
  })

  it('moves off a label that lies right and below the pointer', () => {
    const label: Box = [320, 330, 400, 350]
    const placed = placeTooltip({ x: 300, y: 300 }, CARD, MAP, [label])
    expect(covers(placed, label)).toBe(false)
  })

  it('avoids labels on three sides and stays on the map', () => {
    const labels: Box[] = [
      [320, 330, 400, 350],
      [200, 330, 280, 350],
      [320, 250, 400, 270],
    ]
    const placed = placeTooltip({ x: 300, y: 300 }, CARD, MAP, labels)
    for (const label of labels) expect(covers(placed, label)).toBe(false)
  })

  it('keeps inside the map at its right and bottom edges', () => {
    const placed = placeTooltip({ x: 950, y: 780 }, CARD, MAP, [])
    expect(placed.left + CARD.width).toBeLessThanOrEqual(MAP.width)
    expect(placed.top + CARD.height).toBeLessThanOrEqual(MAP.height)
  })
})
