/**
 * The district's towns and subdistricts (level-2 grid cells), coloured by households class.
 * The only pickable layer: hover and the debug handle's pickTownAt read it by its id.
 */
import type { PickingInfo } from '@deck.gl/core'
import { GeoJsonLayer } from '@deck.gl/layers'
import type { Feature, Geometry } from 'geojson'
import { TOWN_CLASS_FILLS, TOWN_LINE, type Rgba } from '../palette.ts'
import type { TownFeature, TownProperties } from '../town-classes.ts'

export const TOWN_POLYGONS_LAYER_ID = 'towns'

const getTownFillColor = (town: Feature<Geometry, TownProperties>): Rgba =>
  TOWN_CLASS_FILLS[town.properties.householdsClass] ?? TOWN_CLASS_FILLS[0]!

export function createTownPolygonsLayer(towns: TownFeature[] | undefined) {
  return new GeoJsonLayer<TownProperties>({
    id: TOWN_POLYGONS_LAYER_ID,
    data: towns ?? [],
    filled: true,
    stroked: true,
    getFillColor: getTownFillColor,
    getLineColor: TOWN_LINE,
    getLineWidth: 1,
    lineWidthUnits: 'pixels',
    lineJointRounded: true,
    pickable: true,
  })
}

/** The town under a deck.gl pick, if the pick hit the town layer. */
export function townOfPick(info: PickingInfo | null | undefined): TownFeature | null {
  if (!info?.layer || info.layer.id !== TOWN_POLYGONS_LAYER_ID || !info.object) return null
  return info.object as TownFeature
}
