/**
 * The grid import's problems on the map, one deck.gl GeoJsonLayer: each kind its colour, blocking
 * problems drawn bolder than warnings, point locations (a self-intersection) as rings; the
 * problem chosen in the list is outlined in white on top.
 */
import { GeoJsonLayer } from '@deck.gl/layers'
import type { Rgba } from '../../map/palette.ts'
import type { ProblemCollection, ProblemFeature } from '../grid-import-api.ts'

export const PROBLEMS_LAYER_ID = 'grid-import-problems'

/** One colour per kind (legend and list use the same). */
export const KIND_COLORS: Record<string, Rgba> = {
  'code-duplicate': [255, 99, 132, 255],
  'parent-missing': [255, 159, 64, 255],
  'level-mismatch': [255, 205, 86, 255],
  'invalid-geometry': [201, 120, 255, 255],
  'outside-parent': [255, 84, 84, 255],
  overlap: [255, 64, 160, 255],
  gap: [88, 200, 255, 255],
  sliver: [120, 255, 170, 255],
}
const OTHER: Rgba = [220, 220, 220, 255]

export function kindColor(kind: string): Rgba {
  return KIND_COLORS[kind] ?? OTHER
}

export function createProblemsLayer(problems: ProblemCollection, selected: number | null) {
  const features = problems.features.filter((f) => f.geometry)
  const isSelected = (f: ProblemFeature) => f.properties.index === selected
  return new GeoJsonLayer<ProblemFeature['properties']>({
    id: PROBLEMS_LAYER_ID,
    data: features as never,
    pickable: true,
    stroked: true,
    filled: true,
    pointType: 'circle',
    lineWidthUnits: 'pixels',
    pointRadiusUnits: 'pixels',
    getFillColor: (f) => {
      const [r, g, b] = kindColor((f as ProblemFeature).properties.kind)
      return [r, g, b, (f as ProblemFeature).properties.severity === 'error' ? 110 : 70]
    },
    getLineColor: (f) => (isSelected(f as ProblemFeature) ? [255, 255, 255, 255] : kindColor((f as ProblemFeature).properties.kind)),
    getLineWidth: (f) => (isSelected(f as ProblemFeature) ? 4 : (f as ProblemFeature).properties.severity === 'error' ? 2.5 : 1.5),
    getPointRadius: (f) => (isSelected(f as ProblemFeature) ? 10 : 7),
    updateTriggers: { getLineColor: selected, getLineWidth: selected, getPointRadius: selected },
  })
}
