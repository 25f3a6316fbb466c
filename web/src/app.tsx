/**
 * The dashboard: fetches what the map and panels show (react-query hooks over the typed API
 * client), owns the hover state, and lays the panels over the full-window map. The root grid
 * cell comes from the API; nothing here knows which district it is.
 */
import { useQueryClient } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  useContextRegions,
  useGridCell,
  useGridChildrenGeometry,
  useGridGeometry,
  useGridRoots,
} from './api/queries.ts'
import { GridMap, type TownHover } from './map/grid-map.tsx'
import { classifyTowns } from './map/town-classes.ts'
import { getTownTooltip } from './map/town-tooltip.ts'
import type { Padding } from './map/use-maplibre.ts'
import { AppHeader } from './panels/app-header.tsx'
import { MapStatus } from './panels/map-status.tsx'
import { OverviewPanel } from './panels/overview-panel.tsx'

/** Keeps the district clear of the header (top) and the overview panel (left). */
const MAP_PADDING: Padding = { top: 96, right: 48, bottom: 48, left: 360 }

export function App() {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const roots = useGridRoots()
  const rootCode = roots.data?.roots[0]?.code
  const root = useGridCell(rootCode)
  const district = useGridGeometry(rootCode)
  const towns = useGridChildrenGeometry(rootCode)
  const context = useContextRegions()
  const classes = useMemo(() => (towns.data ? classifyTowns(towns.data) : undefined), [towns.data])
  const [hover, setHover] = useState<TownHover | null>(null)

  const failed = [roots, root, district, towns, context].find((query) => query.isError)
  const status = failed
    ? { state: 'error' as const, detail: failed.error?.message ?? '', onRetry: () => void queryClient.refetchQueries({ type: 'all', predicate: (q) => q.state.status === 'error' }) }
    : roots.data && roots.data.roots.length === 0
      ? { state: 'empty' as const }
      : !root.data || !towns.data
        ? { state: 'loading' as const }
        : null

  return (
    <div className="app">
      {root.data ? (
        <GridMap
          bounds={root.data.bbox}
          padding={MAP_PADDING}
          district={district.data}
          towns={classes?.towns}
          context={context.data}
          hover={hover}
          tooltip={hover ? getTownTooltip(hover.town.properties, t) : null}
          onHover={setHover}
          label={t('map.label')}
          attribution={t('map.attribution')}
        />
      ) : (
        <div className="grid-map" />
      )}
      <AppHeader place={root.data ? [...root.data.path.map((ref) => ref.name), root.data.name] : []} />
      {root.data && <OverviewPanel cell={root.data} legend={classes?.legend} />}
      {status && <MapStatus {...status} />}
    </div>
  )
}
