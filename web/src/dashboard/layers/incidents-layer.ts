/**
 * The open incidents of the selected subtree as points: coloured by top-level category, sized by
 * severity, ringed red when overdue. Drawn above the cells and pickable (tooltip, click opens the
 * case); the hover, click and the debug handle read it by its id.
 */
import type { PickingInfo } from '@deck.gl/core'
import { ScatterplotLayer } from '@deck.gl/layers'
import type { IncidentPoint } from '../../incidents/open-incidents.ts'
import type { Rgba } from '../../map/palette.ts'
import { INCIDENT_LINE, INCIDENT_OVERDUE_LINE } from '../../map/palette.ts'

export const INCIDENTS_LAYER_ID = 'incidents'

/** A case as the map draws it: its category colour looked up once, not per frame. */
export interface IncidentMarker extends IncidentPoint {
  color: Rgba
}

/** Radius in pixels by severity 1 (minor) … 4 (major). */
const SEVERITY_RADIUS = [0, 4, 5.5, 7.5, 10] as const

const getPosition = (m: IncidentMarker): [number, number] => [m.location.lon, m.location.lat]
const getFillColor = (m: IncidentMarker): Rgba => m.color
const getRadius = (m: IncidentMarker): number => SEVERITY_RADIUS[m.severity as 1 | 2 | 3 | 4] ?? SEVERITY_RADIUS[2]
const getLineColor = (m: IncidentMarker): Rgba => (m.overdue ? INCIDENT_OVERDUE_LINE : INCIDENT_LINE)
const getLineWidth = (m: IncidentMarker): number => (m.overdue ? 2 : 1)

/**
 * `overview`: the district and town views, where hundreds of cases overlay the cells and a click
 * means "open this town/village". There the points are smaller and not pickable, so they show
 * where cases cluster without stealing the drill-down click; from the village down (few cases,
 * large cells) each point is a target with a tooltip and opens its case.
 */
export function createIncidentsLayer(markers: readonly IncidentMarker[], selectedId: number | null, overview: boolean) {
  return new ScatterplotLayer<IncidentMarker>({
    id: INCIDENTS_LAYER_ID,
    data: markers,
    getPosition,
    getFillColor,
    getRadius,
    getLineColor,
    getLineWidth,
    radiusUnits: 'pixels',
    lineWidthUnits: 'pixels',
    stroked: true,
    filled: true,
    radiusScale: overview ? 0.65 : 1,
    pickable: !overview,
    autoHighlight: !overview,
    highlightColor: [255, 255, 255, 110],
    // The open case in the drawer stands out even among its neighbours.
    highlightedObjectIndex: selectedId === null ? -1 : markers.findIndex((m) => m.id === selectedId),
  })
}

/** The case under a deck.gl pick, if the pick hit this layer. */
export function incidentOfPick(info: PickingInfo | null | undefined): IncidentMarker | null {
  if (!info?.layer || info.layer.id !== INCIDENTS_LAYER_ID || !info.object) return null
  return info.object as IncidentMarker
}
