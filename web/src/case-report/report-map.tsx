/**
 * The report form's map: the viewer's area on the offline base map with the grid's outlines down
 * to household groups; a click puts the pin where the case happened. `window.__gridscopeCaseReport`
 * (read-only: the map) lets an end-to-end test click a known place.
 */
import { ScatterplotLayer } from '@deck.gl/layers'
import type { Map as MapLibreMap } from 'maplibre-gl'
import { useMemo, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { installDebugHandle } from '../debug/install-handle.ts'
import { BaseMap, type CameraTarget } from '../map/base-map.tsx'

const PADDING = { top: 40, right: 40, bottom: 40, left: 40 }
const TILE_LEVELS = { fill: [2], line: [2, 3, 4, 5] }
export const REPORT_PIN_LAYER_ID = 'report-pin'

declare global {
  interface Window {
    __gridscopeCaseReport?: { map(): MapLibreMap }
  }
}

export interface ReportMapProps {
  camera: CameraTarget | undefined
  pin: { lon: number; lat: number } | null
  onPick: (point: { lon: number; lat: number }) => void
}

export function createReportPinLayer(pin: { lon: number; lat: number }) {
  return new ScatterplotLayer<{ lon: number; lat: number }>({
    id: REPORT_PIN_LAYER_ID,
    data: [pin],
    getPosition: (d) => [d.lon, d.lat],
    getRadius: 9,
    radiusUnits: 'pixels',
    getFillColor: [255, 193, 77, 255],
    getLineColor: [8, 18, 31, 255],
    lineWidthMinPixels: 3,
    stroked: true,
  })
}

export function ReportMap({ camera, pin, onPick }: ReportMapProps) {
  const { t } = useTranslation()
  const latest = useRef(onPick)
  latest.current = onPick
  const layers = useMemo(() => (pin ? [createReportPinLayer(pin)] : []), [pin])
  return (
    <BaseMap
      camera={camera}
      padding={PADDING}
      styleLevel={2}
      tileLevels={TILE_LEVELS}
      layers={layers}
      className="case-report__map"
      label={t('cases.report.mapLabel')}
      attribution={t('map.attribution')}
      interactions={{
        onClick: (point, { map }) => {
          const at = map.unproject([point.x, point.y])
          latest.current({ lon: at.lng, lat: at.lat })
        },
        getCursor: () => 'crosshair',
      }}
      onReady={({ map }) => installDebugHandle('__gridscopeCaseReport', { map: () => map })}
    />
  )
}
