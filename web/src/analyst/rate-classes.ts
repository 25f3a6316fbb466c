/**
 * The choropleth of incident rates: the cells of the current view (their outlines from the
 * geometry API) joined by code with the by-cell figures of the selection, and sorted into
 * quantile classes of incidents per 1,000 households (the dashboard's computeClassBreaks), so
 * the layer's colour accessor is a plain lookup and the legend lists the same classes.
 */
import type { Feature, Geometry } from 'geojson'
import type { GridFeatureCollection } from '../api/client.ts'
import { computeClassBreaks, type LegendEntry } from '../map/choropleth.ts'

export interface CellFigure {
  code: string
  name: string
  count: number
  households: number
  ratePer1000: number | null
}

export interface RatedCellProperties extends CellFigure {
  rateClass: number
}

export interface RatedCells {
  cells: Feature<Geometry, RatedCellProperties>[]
  legend: LegendEntry[]
}

/** Cells with no households have no rate: they stay in the lowest class, outlined, and out of the legend's breaks. */
export function rateCells(outlines: GridFeatureCollection, figures: readonly CellFigure[]): RatedCells {
  const byCode = new Map(figures.map((f) => [f.code, f]))
  const rated = outlines.features.map((feature) => {
    const { code, name, households } = feature.properties
    const figure = byCode.get(code) ?? { code, name, count: 0, households, ratePer1000: households > 0 ? 0 : null }
    return { feature, figure }
  })
  const rates = rated.flatMap(({ figure }) => (figure.ratePer1000 === null ? [] : [round(figure.ratePer1000)]))
  const breaks = computeClassBreaks(rates)
  const cells = rated.map(({ feature, figure }) => ({
    type: 'Feature' as const,
    geometry: feature.geometry,
    properties: { ...figure, rateClass: figure.ratePer1000 === null ? 0 : breaks.classOf(round(figure.ratePer1000)) },
  }))
  return { cells, legend: breaks.legend }
}

/** One decimal: the legend's ranges read as the cells' tooltips do. */
function round(value: number): number {
  return Math.round(value * 10) / 10
}
