/**
 * The analyst view (/analyst): where do incidents concentrate, since when, are they resolved?
 * One filter state (in the address) drives everything here: the map's layers (heatmap, hexagon
 * bins, incident-rate choropleth, points), the figures, the charts, the comparison, the list and
 * the export. The points arrive as typed columns, fetched once for the selection with its
 * categories, statuses and severities left open (point-selection.ts): narrowing or re-widening
 * those only changes the GPU's category filter. A narrower time window inside the one held is cut
 * by the GPU's time filter (to the minute: exactly the points a request returns), and playback
 * only moves that filter. The counts the CPU makes (the points shown, the window's, the hexagon
 * bins) read the same keys and the same time units.
 */
import { NoticeBanner } from '../notices/notice-banner.tsx'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useContextRegions, useGridCell, useGridChildrenGeometry, useGridGeometry, useGridRoots } from '../api/queries.ts'
import { levelOfCode } from '../grid/codes.ts'
import { asGridLevel, LEVEL_NAME_KEYS } from '../i18n/levels.ts'
import { indexCategories } from '../incidents/categories.ts'
import { useCategories } from '../incidents/use-incidents.ts'
import type { BaseMapHandles } from '../map/base-map.tsx'
import type { TooltipContent } from '../map/cell-tooltip.ts'
import { AppHeader } from '../panels/app-header.tsx'
import { IncidentDrawer } from '../panels/incident-drawer.tsx'
import { exposeAnalystHandle, type Redraw } from './analyst-debug.ts'
import { AnalystMap } from './analyst-map.tsx'
import { ExportButtons } from './export-buttons.tsx'
import { FilterPanel } from './filter-panel.tsx'
import { filterKey, withWindow } from './filter-state.ts'
import { InsightPanel } from './insight-panel.tsx'
import { KpiStrip } from './kpi-strip.tsx'
import { LayerPanel } from './layer-panel.tsx'
import { DEFAULT_STACK, moveLayer, toggleLayer } from './layer-stack.ts'
import { binPoints } from './hexbin.ts'
import { createLayer, type AnalystPick, type BinSet } from './layers/analyst-layers.ts'
import { windowAt, type TimeSpan } from './playback.ts'
import { countKept, indexRange, keptPoints, unitRangeOf } from './point-set.ts'
import { coversSelection, pointFilterOf, timeCutOf } from './point-selection.ts'
import { rateCells } from './rate-classes.ts'
import { TimeBar } from './time-bar.tsx'
import { useAnalystFilter } from './use-analyst-filter.ts'
import { usePlayback } from './use-playback.ts'
import { useByCell, useIncidentList, usePoints, useSummary } from './use-analyst-data.ts'
import './analyst.css'

/** The units both windows keep ([first, end)); null when neither cuts. */
function intersectUnits(a: [number, number] | null, b: [number, number] | null): [number, number] | null {
  if (!a || !b) return a ?? b
  return [Math.max(a[0], b[0]), Math.min(a[1], b[1])]
}

const MAP_PADDING = { top: 24, right: 24, bottom: 24, left: 250 }
/** Hexagon radius (m) by the level of the grid in view: fine enough to tell villages apart. */
const BIN_RADIUS: Record<number, number> = { 1: 900, 2: 350, 3: 150, 4: 80, 5: 60 }

export default function AnalystPage() {
  const { t, i18n } = useTranslation()
  const { filter, commit } = useAnalystFilter()
  const rootCode = useGridRoots().data?.roots[0]?.code
  const viewCode = filter.grid ?? rootCode
  const viewLevel = viewCode ? levelOfCode(viewCode) : 1
  const cellLevel = Math.min(5, viewLevel + 1)

  const categoryTree = useCategories()
  const categories = useMemo(() => (categoryTree.data ? indexCategories(categoryTree.data) : undefined), [categoryTree.data])
  const summary = useSummary(filter)
  const points = usePoints(filter, categories)
  const list = useIncidentList(filter)
  const viewCell = useGridCell(viewCode)
  const outlines = useGridChildrenGeometry(viewCode)
  const district = useGridGeometry(rootCode)
  const context = useContextRegions()
  // Names for orientation: the towns, and the villages of the town in view.
  const towns = useGridChildrenGeometry(rootCode)
  const townCode = viewLevel >= 2 && viewCode ? viewCode.slice(0, 9) : undefined
  const villages = useGridChildrenGeometry(townCode)
  const places = useMemo(
    () => [...(towns.data?.features ?? []), ...(townCode && villages.data?.features[0]?.properties.parentCode === townCode ? villages.data.features : [])],
    [towns.data, villages.data, townCode],
  )

  const [stack, setStack] = useState(DEFAULT_STACK)
  const [weighted, setWeighted] = useState(false)
  const [openIncident, setOpenIncident] = useState<number | null>(null)
  const choroplethOn = stack.some((l) => l.id === 'choropleth' && l.visible)
  const byCell = useByCell(filter, cellLevel, choroplethOn && viewCode !== undefined)
  const outlinesFit = outlines.data?.features[0]?.properties.level === cellLevel
  const rated = useMemo(
    () => (choroplethOn && outlinesFit && outlines.data && byCell.data?.level === cellLevel ? rateCells(outlines.data, byCell.data.cells) : null),
    [choroplethOn, outlinesFit, outlines.data, byCell.data, cellLevel],
  )

  // The selection's window as the server resolved it (a relative range ends at the server's now).
  const current = summary.data?.comparison.current ?? (filter.from && filter.to ? { from: filter.from, to: filter.to } : undefined)
  const spanFrom = current ? Date.parse(current.from) : null
  const spanTo = current ? Date.parse(current.to) : null
  const span = useMemo<TimeSpan | null>(() => (spanFrom !== null && spanTo !== null ? { from: spanFrom, to: spanTo } : null), [spanFrom, spanTo])
  const { playback, play, pause, stop, setSpeed, setWindowLength } = usePlayback(span)
  const pointSet = points.data?.points ?? null
  // The selection's categories, statuses and severities, kept of the held points on the GPU.
  const pointFilter = useMemo(() => pointFilterOf(filter, pointSet?.categoryOrder ?? []), [filter, pointSet])
  const kept = useMemo(() => (pointSet ? keptPoints(pointSet, pointFilter) : null), [pointSet, pointFilter])
  // What the map shows: this selection once the held points cover it, else the held selection.
  const covered = points.data && pointSet ? coversSelection(points.data.selection, filter, pointSet) : false
  const shownKey = points.data ? (covered ? filterKey(filter) : points.data.key) : null
  // The selection's window cut from a wider one held, and playback's window, in the points' time units.
  const cutWindow = covered && pointSet ? timeCutOf(filter, pointSet) : null
  const cutUnits = cutWindow && pointSet ? unitRangeOf(pointSet, cutWindow[0], cutWindow[1]) : null
  const shownWindow = playback.playhead !== null && span ? windowAt(playback.playhead, playback.windowLength, span) : null
  const playUnits = shownWindow && pointSet ? unitRangeOf(pointSet, shownWindow.from, shownWindow.to) : null
  const units = intersectUnits(cutUnits, playUnits)
  const shownRange = pointSet && cutUnits ? indexRange(pointSet, cutUnits) : ([0, pointSet?.length ?? 0] as const)
  const shownCount = useMemo(() => countKept(kept, shownRange[0], shownRange[1]), [kept, shownRange[0], shownRange[1]])
  // The GPU keeps whole units [first, end): inclusive on both ends, as DataFilterExtension compares.
  const timeRange: [number, number] | null = units ? [units[0], units[1] - 1] : null
  const [sliceStart, sliceEnd] = pointSet && units ? indexRange(pointSet, units) : shownRange
  const inWindow = playUnits ? countKept(kept, sliceStart, sliceEnd) : null

  // Bins are counted only while shown, over the window's slice of the (time-ordered) points.
  const binsOn = stack.some((l) => l.id === 'bins' && l.visible)
  const binRadius = BIN_RADIUS[viewLevel] ?? 350
  const bins = useMemo<BinSet | null>(() => {
    if (!binsOn || !pointSet || pointSet.length === 0) return null
    const [w, s, e, n] = pointSet.bounds
    const hexes = binPoints(pointSet.positions, sliceStart, sliceEnd, binRadius, [(w + e) / 2, (s + n) / 2], kept)
    return { bins: hexes, max: hexes.reduce((m, b) => Math.max(m, b.count), 0), radius: binRadius }
  }, [binsOn, pointSet, sliceStart, sliceEnd, binRadius, kept])
  const layers = stack
    .filter((entry) => entry.visible)
    .map((entry) => createLayer(entry.id, { points: pointSet, cells: rated?.cells ?? [], weighted, filter: { range: timeRange, points: pointFilter }, bins }))

  // Debug handle: what the map was given, and the first frame that drew each selection's points.
  const heldKey = points.data?.key ?? null
  const latest = useRef({ stack, pointSet, shownCount, shownKey, heldKey, pointFilter, playback, shownWindow, inWindow, timeRange })
  latest.current = { stack, pointSet, shownCount, shownKey, heldKey, pointFilter, playback, shownWindow, inWindow, timeRange }
  const givenKey = useRef<string | null>(null)
  const lastRedraw = useRef<Redraw | null>(null)
  useEffect(() => {
    // After the overlay (a child) has been given this render's layers.
    givenKey.current = shownKey
  })
  const lastFrameAt = useRef<number | null>(null)
  const onFrame = useCallback(() => {
    lastFrameAt.current = performance.now()
    const key = givenKey.current
    if (key !== null && lastRedraw.current?.key !== key) lastRedraw.current = { key, at: performance.now() }
  }, [])
  const onReady = useCallback(({ map, drawnLayerIds }: BaseMapHandles) => {
    return exposeAnalystHandle({
      map,
      layers: () => latest.current.stack.map((l) => ({ ...l })),
      drawnLayerIds,
      pointCount: () => latest.current.shownCount,
      heldPointCount: () => latest.current.pointSet?.length ?? 0,
      pointsKey: () => latest.current.shownKey,
      heldPointsKey: () => latest.current.heldKey,
      pointFilter: () => {
        const { categories, statuses, severities } = latest.current.pointFilter
        return { categories: [...categories], statuses: [...statuses], severities: [...severities] }
      },
      playhead: () => ({
        playing: latest.current.playback.playing,
        at: latest.current.playback.playhead,
        window: latest.current.shownWindow && { ...latest.current.shownWindow },
      }),
      timeRange: () => latest.current.timeRange && [...latest.current.timeRange],
      lastRedraw: () => (lastRedraw.current ? { ...lastRedraw.current } : null),
      lastFrameAt: () => lastFrameAt.current,
      inWindow: () => latest.current.inWindow,
      pagePointOf: (lon, lat) => {
        const { x, y } = map.project([lon, lat])
        const rect = map.getCanvas().getBoundingClientRect()
        return { x: rect.left + x, y: rect.top + y }
      },
    })
  }, [])
  // After i18n's own title (the dashboard's), on every language change.
  useEffect(() => {
    document.title = t('analyst.documentTitle')
  }, [t, i18n.resolvedLanguage])

  const tooltipOf = (pick: AnalystPick): TooltipContent =>
    pick.kind === 'bin'
      ? { title: t('analyst.tooltip.bin'), rows: [{ label: t('incidents.total'), value: pick.count.toLocaleString() }] }
      : {
          title: pick.cell.name,
          rows: [
            { label: t('incidents.total'), value: pick.cell.count.toLocaleString() },
            { label: t('tooltip.households'), value: pick.cell.households.toLocaleString() },
            { label: t('analyst.tooltip.rate'), value: pick.cell.ratePer1000 === null ? t('incidents.none') : pick.cell.ratePer1000.toFixed(1) },
          ],
        }

  const exportButtons = useMemo(() => <ExportButtons filter={filter} />, [filter])
  // The camera follows the cell in view once it has loaded (until then it stays); the map, once
  // created, stays mounted for the page's life (BaseMap's gate).
  const camera = viewCell.data ? { key: viewCell.data.code, bounds: viewCell.data.bbox } : undefined
  const loading = summary.isFetching || points.isFetching
  return (
    <div className="analyst" data-filter={filterKey(filter)} aria-busy={loading}>
      <AppHeader search={null} />
      <NoticeBanner className="notice-banners--analyst" />
      <FilterPanel filter={filter} onCommit={commit} categories={categoryTree.data} footer={exportButtons} />
      <main className="analyst__centre">
        <div className="analyst__map">
          <AnalystMap
            viewLevel={viewLevel}
            camera={camera}
            padding={MAP_PADDING}
            district={district.data}
            context={context.data}
            places={places}
            layers={layers}
            tooltipOf={tooltipOf}
            onFrame={onFrame}
            onSelectCell={(code) => commit({ ...filter, grid: code })}
            onReady={onReady}
            label={t('analyst.mapLabel')}
            attribution={t('map.attribution')}
          />
          <LayerPanel
            stack={stack}
            onToggle={(id) => setStack((s) => toggleLayer(s, id))}
            onMove={(id, direction) => setStack((s) => moveLayer(s, id, direction))}
            weighted={weighted}
            onWeighted={setWeighted}
            pointCount={shownCount}
            binDomain={bins && bins.max > 0 ? [1, bins.max] : null}
            rateLegend={rated?.legend ?? []}
            cellLevelName={t(LEVEL_NAME_KEYS[asGridLevel(cellLevel)])}
            categories={categoryTree.data}
          />
          {(summary.isError || points.isError) && (
            <p className="analyst__error" role="alert">
              {(summary.error ?? points.error)?.message}
            </p>
          )}
        </div>
        <TimeBar
          summary={summary.data}
          span={span}
          playback={playback}
          window={shownWindow}
          inWindow={inWindow}
          onPlay={play}
          onPause={pause}
          onStop={stop}
          onSpeed={setSpeed}
          onWindowLength={setWindowLength}
          onBrush={(from, to) => commit(withWindow(filter, from, to))}
        />
      </main>
      <aside className="analyst__insights" aria-label={t('analyst.insights')}>
        <KpiStrip summary={summary.data} inWindow={inWindow} />
        <InsightPanel filter={filter} summary={summary.data} list={list} categories={categories} onCommit={commit} onOpenIncident={setOpenIncident} />
      </aside>
      {openIncident !== null && <IncidentDrawer id={openIncident} categories={categories} onClose={() => setOpenIncident(null)} onOpenCase={setOpenIncident} />}
    </div>
  )
}
