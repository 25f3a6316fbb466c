/**
 * Sorts the towns into households classes (quantiles) for the choropleth and its legend. Done
 * once per data set, outside the map, so the layer's colour accessor is a plain lookup.
 */
import type { GridFeature, GridFeatureCollection, GridFeatureProperties } from '../api/client.ts'
import { TOWN_CLASS_FILLS } from './palette.ts'

export interface TownProperties extends GridFeatureProperties {
  /** 0 (fewest households) … TOWN_CLASS_FILLS.length − 1 (most). */
  householdsClass: number
}
export type TownFeature = Omit<GridFeature, 'properties'> & { properties: TownProperties }

export interface TownClasses {
  towns: TownFeature[]
  /** One entry per class that has towns in it: households range and the class index. */
  legend: { householdsClass: number; from: number; to: number }[]
}

export function classifyTowns(collection: GridFeatureCollection, classCount = TOWN_CLASS_FILLS.length): TownClasses {
  const sorted = collection.features.map((f) => f.properties.households).sort((a, b) => a - b)
  const classOf = (households: number) => {
    if (sorted.length <= 1) return classCount - 1
    // Rank-based quantile: ties fall into the same class.
    const rank = sorted.findIndex((value) => value >= households)
    return Math.min(classCount - 1, Math.floor((rank / sorted.length) * classCount))
  }
  const towns: TownFeature[] = collection.features.map((feature) => ({
    ...feature,
    properties: { ...feature.properties, householdsClass: classOf(feature.properties.households) },
  }))
  const legend: TownClasses['legend'] = []
  for (let householdsClass = 0; householdsClass < classCount; householdsClass++) {
    const members = towns.filter((t) => t.properties.householdsClass === householdsClass).map((t) => t.properties.households)
    if (members.length > 0) legend.push({ householdsClass, from: Math.min(...members), to: Math.max(...members) })
  }
  return { towns, legend }
}
