import { describe, expect, it } from 'vitest'
import { gridTileLayers, gridTileSource, sourceLayerOf, visibleTileLevels } from './grid-tiles.ts'

describe('visibleTileLevels', () => {
  it('shows no tiles at the district, whose towns come from the API', () => {
    expect(visibleTileLevels(1)).toEqual([])
  })

  it('shows the levels from the towns down to the one being compared', () => {
    expect(visibleTileLevels(2)).toEqual([2, 3])
    expect(visibleTileLevels(3)).toEqual([2, 3, 4])
    expect(visibleTileLevels(4)).toEqual([2, 3, 4, 5])
    expect(visibleTileLevels(5)).toEqual([2, 3, 4, 5])
  })
})

describe('gridTileLayers', () => {
  it('has a fill and a line layer per level, each on its own MVT layer and filtered to its level, hidden at first', () => {
    const layers = gridTileLayers()
    expect(layers).toHaveLength(8)
    for (const layer of layers) {
      expect(layer.layout?.visibility).toBe('none')
      if (layer.type === 'fill' || layer.type === 'line') {
        const level = Number(layer.id.at(-1))
        expect(layer['source-layer']).toBe(sourceLayerOf(level))
        expect(layer.filter).toEqual(['==', ['get', 'level'], level])
      }
    }
    // Fills before lines: no fill may cover an outline.
    const lastFill = layers.findLastIndex((l) => l.type === 'fill')
    const firstLine = layers.findIndex((l) => l.type === 'line')
    expect(lastFill).toBeLessThan(firstLine)
  })

  it('keys features by their code', () => {
    expect(gridTileSource('http://x/tiles/grids.json')).toEqual({ type: 'vector', url: 'http://x/tiles/grids.json', promoteId: 'code' })
  })
})
