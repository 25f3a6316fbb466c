/**
 * The dashboard and its one piece of navigation state, the selected grid cell (in the URL).
 * Fetches what the map and panels show for it (react-query hooks over the typed API client),
 * owns the hover state and the chosen choropleth figure, and lays the panels over the
 * full-window map. The root cell comes from the API; nothing here knows which district it is.
 *
 * Incidents: the open cases of the selected subtree are drawn on the map and listed in the panel,
 * kept live by the SSE feed; a case picked on either opens in the drawer. The open case is local
 * state (not in the URL): it belongs to this look at the map, not to the address of the grid.
 *
 * Drill-down: the map compares the selected cell's children (a household group, which has
 * none, is compared with its siblings); clicking one selects it, the breadcrumb, the up button
 * and Escape go back up, and every selection is a history entry.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ApiError, type GridFeature } from '../api/client.ts'
import { prefetchDrill, useContextRegions, useGridCell, useGridChildrenGeometry, useGridGeometry, useGridRoots, useMeta } from '../api/queries.ts'
import { breadcrumbOf, isWithinScope, LEAF_LEVEL, levelOfCode, parentCodeOf, pendingBreadcrumb, type GridStep } from '../grid/codes.ts'
import { getCellTooltip } from '../map/cell-tooltip.ts'
import { CHOROPLETH_METRICS, classifyCells, type ChoroplethMetric } from '../map/choropleth.ts'
import { queryKeys } from '../api/query-keys.ts'
import { fetchCells } from '../evaluation/evaluation-api.ts'
import { defaultPeriod } from '../report/report-api.ts'
import { readsEvaluation } from '../routing/screen-paths.ts'
import { bboxOfGeometry, type Bbox } from '../map/geometry.ts'
import { indexCategories } from '../incidents/categories.ts'
import { getIncidentTooltip } from '../incidents/incident-tooltip.ts'
import { useCategories, useLiveOpenIncidents } from '../incidents/use-incidents.ts'
import { GridMap, type IncidentHover, type MapHover } from './grid-map.tsx'
import { useHomes } from './homes-api.ts'
import { createHomesLayer } from './layers/homes-layer.ts'
import type { Padding } from '../map/base-map.tsx'
import { AppHeader } from '../panels/app-header.tsx'
import { BreadcrumbBar } from './panels/breadcrumb-bar.tsx'
import { CellPanel } from './panels/cell-panel.tsx'
import { IncidentDrawer } from '../panels/incident-drawer.tsx'
import { useIncidentLink } from '../incidents/incident-link.ts'
import { IncidentList } from './panels/incident-section.tsx'
import { ChoroplethLegend } from './panels/choropleth-legend.tsx'
import { MapStatus } from './panels/map-status.tsx'
import { SearchBox } from '../panels/search-box.tsx'
import { useGridRoute } from './use-grid-route.ts'
import { NoticeBanner } from '../notices/notice-banner.tsx'
import { useMe } from '../access/session.tsx'
import { FieldWorkPanel } from '../field-work/field-work-panel.tsx'
import { useFieldWork } from '../field-work/use-field-work.ts'

/** Keeps the selected cell clear of the header and breadcrumb (top), the cell panel (left) and the legend (right). */
const MAP_PADDING: Padding = { top: 150, right: 268, bottom: 48, left: 408 }
const PREFETCH_AFTER_MS = 150

export function DashboardPage() {
  const { t, i18n } = useTranslation()
  const queryClient = useQueryClient()
  const route = useGridRoute()
  const meta = useMeta()
  const roots = useGridRoots()
  const rootCode = roots.data?.roots[0]?.code
  const me = useMe()
  // A cell outside the viewer's area (a link or a typed address) is not asked about at all: the
  // page says so instead of showing it with zeros.
  const outside = route.code !== null && !isWithinScope(route.code, me.scope)
  const selectedCode = outside ? undefined : (route.code ?? rootCode)
  const selectedLevel = selectedCode ? levelOfCode(selectedCode) : 1

  const cell = useGridCell(selectedCode)
  const current = cell.data?.code === selectedCode ? cell.data : undefined
  // The rest (outlines, cases, field work) is asked for once the API has answered the cell: a
  // mistyped code in a link is asked about once, not by every panel. A click has already
  // prefetched the cell and its children, so drilling down waits for nothing more.
  const knownCode = current || selectedCode === rootCode ? selectedCode : undefined
  // A household group has no children: it is shown among its siblings instead.
  const isLeaf = selectedLevel === LEAF_LEVEL || current?.children.length === 0
  const comparedOf = knownCode && isLeaf ? (parentCodeOf(knownCode) ?? knownCode) : knownCode
  const children = useGridChildrenGeometry(comparedOf)
  const selectedGeometry = useGridGeometry(knownCode)
  const district = useGridGeometry(rootCode)
  const context = useContextRegions()

  const [metric, setMetric] = useState<ChoroplethMetric>('households')
  const [hover, setHover] = useState<MapHover | null>(null)
  const [pointedRow, setPointedRow] = useState<string | null>(null)
  const [incidentHover, setIncidentHover] = useState<IncidentHover | null>(null)
  const [openIncident, setOpenIncident] = useState<number | null>(null)
  // A shared link to one case (/incident/<id>) opens the map at it with its drawer.
  useIncidentLink(
    useCallback((cell: string, id: number) => (route.navigate(cell, { replace: true }), setOpenIncident(id)), [route]),
    useCallback(() => route.navigate(null, { replace: true }), [route]),
  )

  // The homes of a villager group (clustered) or household group (one point each).
  const homesBox = useMemo(() => (selectedGeometry.data ? bboxOfGeometry(selectedGeometry.data.geometry) : undefined), [selectedGeometry.data])
  const homes = useHomes(homesBox, selectedLevel)
  const fieldWork = useFieldWork(knownCode, ['commander', 'town_leader', 'village_leader', 'grid_worker'].includes(me.role), metric === 'score')
  const categoryTree = useCategories()
  const categories = useMemo(() => (categoryTree.data ? indexCategories(categoryTree.data) : undefined), [categoryTree.data])
  const live = useLiveOpenIncidents(knownCode)

  // Colour by evaluation score: the scores of the compared cells for the last full month (China
  // time), asked for only when chosen and only by those who read the evaluation.
  const scoresAllowed = readsEvaluation(me)
  const metrics = useMemo(() => CHOROPLETH_METRICS.filter((m) => m !== 'score' || scoresAllowed), [scoresAllowed])
  const cellsOf = children.data?.features[0]?.properties.parentCode ?? null
  const cellsLevel = children.data?.features[0]?.properties.level ?? null
  const scorePeriod = defaultPeriod()
  const byScore = metric === 'score' && scoresAllowed && cellsOf !== null && cellsLevel !== null
  const evaluation = useQuery({
    queryKey: queryKeys.evaluation.cells(cellsOf, scorePeriod, cellsLevel),
    queryFn: () => fetchCells(cellsOf, scorePeriod, cellsLevel),
    enabled: byScore,
  })
  const scores = useMemo(
    () => (byScore && evaluation.data?.grid.code === cellsOf ? new Map(evaluation.data.cells.map((c) => [c.code, c.score])) : undefined),
    [byScore, evaluation.data, cellsOf],
  )
  // The tooltip's score, rank among peers and the indicator lost most on, per compared cell.
  const scoreFacts = useMemo(
    () => (byScore && evaluation.data?.grid.code === cellsOf ? new Map(evaluation.data.cells.map((c) => [c.code, c])) : undefined),
    [byScore, evaluation.data, cellsOf],
  )
  const scoresLoading = byScore && !scores && !evaluation.isError
  const classed = useMemo(() => (children.data ? classifyCells(children.data, metric, scores) : undefined), [children.data, metric, scores])
  const classOf = useMemo(
    () => (classed && cellsOf === selectedCode ? new Map(classed.cells.map((c) => [c.properties.code, c.properties.valueClass])) : undefined),
    [classed, cellsOf, selectedCode],
  )

  // The selected cell's outline and bounds: from the API, or at once from the child just clicked.
  const clicked = children.data?.features.find((f) => f.properties.code === selectedCode)
  const selectedFeature: GridFeature | undefined = selectedGeometry.data?.properties.code === selectedCode ? selectedGeometry.data : clicked
  const bounds: Bbox | undefined = current?.bbox ?? (selectedFeature ? bboxOfGeometry(selectedFeature.geometry) : undefined)
  const camera = selectedCode && bounds ? { key: selectedCode, bounds } : undefined

  // The breadcrumb follows a click at once; the API's path replaces it when the cell arrives.
  const shownSteps = useRef<GridStep[]>([])
  const steps = current
    ? breadcrumbOf(current)
    : selectedCode
      ? (pendingBreadcrumb(shownSteps.current, selectedCode, clicked?.properties.name) ?? shownSteps.current)
      : []
  shownSteps.current = steps

  // A pointer resting on a cell (on the map or in the list) is a likely click: load what opening
  // it needs. Resting, not passing: sweeping across the district must not fetch every town.
  const prefetchTimer = useRef<ReturnType<typeof setTimeout>>(undefined)
  const prefetchSoon = (code: string | null) => {
    clearTimeout(prefetchTimer.current)
    if (code) prefetchTimer.current = setTimeout(() => prefetchDrill(queryClient, code), PREFETCH_AFTER_MS)
  }
  useEffect(() => () => clearTimeout(prefetchTimer.current), [])
  const goTo = useCallback(
    (code: string) => {
      setHover(null)
      setIncidentHover(null)
      setPointedRow(null)
      clearTimeout(prefetchTimer.current)
      if (code === selectedCode) return
      // The requests leave now, not after the re-render that asks for them.
      prefetchDrill(queryClient, code)
      route.navigate(code === rootCode ? null : code)
    },
    [queryClient, route, rootCode, selectedCode],
  )
  const parent = selectedCode ? parentCodeOf(selectedCode) : null
  const goUp = parent && selectedCode !== rootCode ? () => goTo(parent) : undefined

  // Escape goes one level up, unless it belongs to a text field (the search box handles its own).
  // An open incident drawer is closed first: it sits over the map, the nearer thing to leave.
  const latestGoUp = useRef(goUp)
  latestGoUp.current = openIncident !== null ? () => setOpenIncident(null) : goUp
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return
      if (event.target instanceof HTMLElement && event.target.closest('input, textarea, select, [contenteditable="true"]')) return
      latestGoUp.current?.()
    }
    window.addEventListener('keydown', onKeyDown)
    return () => window.removeEventListener('keydown', onKeyDown)
  }, [])

  // /grid/<root code> is the district: show it at its plain address.
  useEffect(() => {
    if (rootCode && route.code === rootCode) route.navigate(null, { replace: true })
  }, [rootCode, route])

  const onHover = (next: MapHover | null) => {
    const code = next?.from === 'cells' ? next.cell.code : null
    if (code !== (hover?.from === 'cells' ? hover.cell.code : null)) prefetchSoon(code)
    setHover(next)
  }
  const onPointRow = (code: string | null) => {
    prefetchSoon(code)
    setPointedRow(code)
  }

  // The map (BaseMap's gate) waits for the first camera bounds, then stays mounted while later
  // cells load; until then the notice says the page is loading.
  const mapShown = useRef(false)
  if (meta.data && bounds) mapShown.current = true

  const notFound = cell.error instanceof ApiError && cell.error.problem.status === 404 && route.code !== null
  const failed = [meta, roots, cell, children, district, context, ...(byScore ? [evaluation] : [])].find((query) => query.isError)
  const ownArea = me.scope === rootCode ? null : me.scope
  const status = outside
    ? { state: 'outside' as const, code: route.code!, scopeName: me.scopeName, onBack: () => route.navigate(ownArea, { replace: true }) }
    : notFound
      ? { state: 'not-found' as const, code: route.code!, onBack: () => route.navigate(null, { replace: true }) }
      : failed
        ? {
            state: 'error' as const,
            detail: failed.error?.message ?? '',
            onRetry: () => void queryClient.refetchQueries({ type: 'all', predicate: (q) => q.state.status === 'error' }),
          }
        : roots.data && roots.data.roots.length === 0
          ? { state: 'empty' as const }
          : // Once the map is up, the panel says it is updating instead of a notice over the map.
            !mapShown.current && (!current || !children.data)
            ? { state: 'loading' as const }
            : null

  const comparedLevel = children.data?.features[0]?.properties.level ?? Math.min(selectedLevel + 1, LEAF_LEVEL)
  const panelCell = current ?? cell.data

  return (
    <div className="app">
      <GridMap
        camera={camera}
        padding={MAP_PADDING}
        district={district.data}
        selected={selectedFeature}
        selectedLevel={selectedLevel}
        cells={classed?.cells ?? []}
        cellsOf={cellsOf}
        metric={metric}
        emphasis={pointedRow ?? (hover?.from === 'cells' ? hover.cell.code : null)}
        labelFirst={isLeaf ? (selectedCode ?? null) : null}
        context={context.data}
        hover={hover}
        tooltip={hover ? getCellTooltip(hover.cell, t, scoreFacts?.get(hover.cell.code)) : null}
        tapPreviews={byScore}
        onHover={onHover}
        onSelect={(picked) => goTo(picked.code)}
        incidents={live.incidents ?? []}
        categories={categories}
        pulses={live.pulses}
        selectedIncident={openIncident}
        incidentHover={incidentHover}
        incidentTooltip={incidentHover ? getIncidentTooltip(incidentHover.incident, categories, t, i18n.resolvedLanguage) : null}
        onHoverIncident={setIncidentHover}
        onSelectIncident={setOpenIncident}
        label={t('map.label')}
        attribution={t('map.attribution')}
        extraLayers={homes.data && homes.data.points.length > 0 ? [...fieldWork.layers, createHomesLayer(homes.data.points)] : fieldWork.layers}
      />
      <AppHeader search={<SearchBox onSelect={(result) => goTo(result.code)} />} />
      <NoticeBanner className="notice-banners--map-page" />
      {steps.length > 0 && <BreadcrumbBar steps={steps} onSelect={goTo} onUp={goUp} />}
      {panelCell && (
        <CellPanel
          cell={panelCell}
          updating={panelCell !== current}
          metric={metric}
          classOf={scoresLoading ? undefined : classOf}
          scores={scores}
          emphasis={pointedRow ?? (hover?.from === 'cells' ? hover.cell.code : null)}
          onSelectChild={goTo}
          onPointChild={onPointRow}
          incidents={
            <IncidentList incidents={live.incidents} failed={live.isError} categories={categories} selectedId={openIncident} onSelect={setOpenIncident} />
          }
        />
      )}
      {openIncident !== null && <IncidentDrawer id={openIncident} categories={categories} onClose={() => setOpenIncident(null)} onOpenCase={setOpenIncident} />}
      {classed && classed.cells.length > 0 && (
        <ChoroplethLegend
          metrics={metrics}
          metric={metric}
          onMetric={setMetric}
          legend={scoresLoading ? [] : classed.legend}
          level={comparedLevel}
          count={classed.cells.length}
          noData={classed.noData}
          scorePeriod={scorePeriod}
          loading={scoresLoading}
        />
      )}
      {status && <MapStatus {...status} />}
      <FieldWorkPanel {...fieldWork.panel} />
    </div>
  )
}
