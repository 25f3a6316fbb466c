/**
 * Sorts the cells on the map into classes of one figure (households, population, or an incident
 * figure: open cases, overdue cases, incidents per 1,000 households) for the choropleth, its legend and the swatches of the ranking list. Class
 * breaks are quantiles of the values shown, so every level, from 28 towns to 5 household
 * groups, uses the whole ramp. Done once per data set, outside the map, so the layer's colour
 * accessor is a plain lookup.
 */
import type { GridFeature, GridFeatureCollection, GridFeatureProperties } from '../api/client.ts'
import { CLASS_FILLS } from './palette.ts'

export const CHOROPLETH_METRICS = ['households', 'population', 'open', 'overdue', 'incidentRate', 'score'] as const
export type ChoroplethMetric = (typeof CHOROPLETH_METRICS)[number]

/** The figures a cell is coloured by; its own, or the incident rate derived from them. */
export interface CellFigures {
  households: number
  population: number
  incidents: number
  open: number
  overdue: number
  /** The evaluation score of the last full month (GET /api/evaluation); null or absent: no data. */
  score?: number | null
}

/** A cell without a value (no evaluation score): drawn and listed as 无数据, never as zero. */
export const NO_DATA_CLASS = -1

/**
 * The figure a cell is coloured by; incidents per 1,000 households to one decimal (comparable
 * between large and small cells); null only for a score the cell does not have.
 */
export function metricValue(cell: CellFigures, metric: ChoroplethMetric): number | null {
  if (metric === 'score') return cell.score ?? null
  if (metric !== 'incidentRate') return cell[metric]
  return cell.households > 0 ? Math.round((10_000 * cell.incidents) / cell.households) / 10 : 0
}

export interface LegendEntry {
  /** 0 (lowest values) … classCount − 1 (highest). */
  valueClass: number
  from: number
  to: number
  /** How many cells fall in the class. */
  count: number
}

export interface ClassBreaks {
  classOf(value: number): number
  /** One entry per class that has values in it, lowest first. */
  legend: LegendEntry[]
}

/**
 * Rank-based quantile classes of `values`: equal values always share a class, and classes with
 * no values are left out of the legend (a handful of cells cannot fill five classes).
 */
export function computeClassBreaks(values: readonly number[], classCount = CLASS_FILLS.length): ClassBreaks {
  const sorted = [...values].sort((a, b) => a - b)
  const classOf = (value: number) => {
    if (sorted.length <= 1) return classCount - 1
    const below = sorted.findIndex((v) => v >= value)
    const rank = below < 0 ? sorted.length - 1 : below
    return Math.min(classCount - 1, Math.floor((rank / sorted.length) * classCount))
  }
  const legend: LegendEntry[] = []
  for (const value of sorted) {
    const valueClass = classOf(value)
    const last = legend.at(-1)
    if (last?.valueClass === valueClass) {
      last.to = value
      last.count++
    } else legend.push({ valueClass, from: value, to: value, count: 1 })
  }
  return { classOf, legend }
}

export interface ClassedCellProperties extends GridFeatureProperties {
  /** 0 … classCount − 1, or NO_DATA_CLASS. */
  valueClass: number
  score?: number | null
}
export type ClassedCellFeature = Omit<GridFeature, 'properties'> & { properties: ClassedCellProperties }

export interface ClassedCells {
  cells: ClassedCellFeature[]
  legend: LegendEntry[]
}

/**
 * Classes of the cells by `metric`; `scores` (code → score) are the evaluation's, for the score
 * metric. Breaks come from the cells that have a value; the others are NO_DATA_CLASS, and
 * `noData` counts them for the legend.
 */
export function classifyCells(
  collection: GridFeatureCollection,
  metric: ChoroplethMetric,
  scores?: ReadonlyMap<string, number | null>,
): ClassedCells & { noData: number } {
  const withScores = collection.features.map((f) => ({ ...f, properties: { ...f.properties, score: scores?.get(f.properties.code) ?? null } }))
  const values = withScores.map((f) => metricValue(f.properties, metric))
  const breaks = computeClassBreaks(values.filter((v): v is number => v !== null))
  const cells = withScores.map((feature, i) => ({
    ...feature,
    properties: { ...feature.properties, valueClass: values[i] === null ? NO_DATA_CLASS : breaks.classOf(values[i]!) },
  }))
  return { cells, legend: breaks.legend, noData: values.filter((v) => v === null).length }
}
