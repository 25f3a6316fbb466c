import { describe, expect, it } from 'vitest'
import { DEFAULT_STACK, moveLayer, toggleLayer } from './layer-stack.ts'

describe('layer stack', () => {
  it('opens on the heatmap alone', () => {
    expect(DEFAULT_STACK.filter((l) => l.visible).map((l) => l.id)).toEqual(['heatmap'])
  })

  it('toggles one layer', () => {
    expect(toggleLayer(DEFAULT_STACK, 'bins').find((l) => l.id === 'bins')!.visible).toBe(true)
    expect(toggleLayer(DEFAULT_STACK, 'heatmap').some((l) => l.visible)).toBe(false)
  })

  it('moves a layer up and down, and not past either end', () => {
    expect(moveLayer(DEFAULT_STACK, 'bins', 'up').map((l) => l.id)).toEqual(['choropleth', 'heatmap', 'bins', 'points'])
    expect(moveLayer(DEFAULT_STACK, 'bins', 'down').map((l) => l.id)).toEqual(['bins', 'choropleth', 'heatmap', 'points'])
    expect(moveLayer(DEFAULT_STACK, 'points', 'up').map((l) => l.id)).toEqual(DEFAULT_STACK.map((l) => l.id))
  })
})
