/**
 * The command-centre wall (/wall): a fixed 16:9 layout of KPI tiles, category chart and town
 * ranking, the map in the centre, alerts and the live ticker on the right, sized in rem that
 * scale with the viewport (wall.css), so 1920×1080 and 3840×2160 show the same picture.
 *
 * Data: the summary of the view in focus (react-query, refetched every REFRESH_MS, shortly after
 * live events, and at once after the live feed reconnects; the last picture stays while a refetch
 * fails), the live feed (use-wall-live.ts) and the grid outlines. The tour moves the focus; any
 * key also acknowledges the standing alerts.
 */
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query'
import type { Map as MapLibreMap } from 'maplibre-gl'
import { useCallback, useEffect, useMemo, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { prefetchDrill, useGridChildrenGeometry, useGridGeometry, useGridRoots } from '../api/queries.ts'
import { indexCategories } from '../incidents/categories.ts'
import { useCategories } from '../incidents/use-incidents.ts'
import { bboxOfGeometry } from '../map/geometry.ts'
import { playAlertBeep } from './alert-sound.ts'
import { AlertPanel } from './panels/alert-panel.tsx'
import { CategoryChart } from './panels/category-chart.tsx'
import { KpiTiles } from './panels/kpi-tiles.tsx'
import { LiveTicker } from './panels/live-ticker.tsx'
import { StaleBanner } from './panels/stale-banner.tsx'
import { useWallNotice, WallNoticeBanner } from '../notices/wall-notice.tsx'
import { TownRanking } from './panels/town-ranking.tsx'
import { ScoreRanking } from './panels/score-ranking.tsx'
import { WallHeader } from './panels/wall-header.tsx'
import { tourStops } from './tour.ts'
import { useRemPixels } from './use-rem-pixels.ts'
import { useTour } from './use-tour.ts'
import { useWallLive } from './use-wall-live.ts'
import { fetchWallSummary } from './wall-api.ts'
import { exposeWallDebugHandle } from './wall-debug.ts'
import { WallMap } from './wall-map.tsx'
import type { WallParams } from './wall-params.ts'
import './wall.css'
import { queryKeys } from '../api/query-keys.ts'

const REFRESH_MS = 30_000
/** After live events, the figures are refreshed at most this often. */
const EVENT_REFRESH_MS = 10_000

export function WallPage({ params }: { params: WallParams }) {
  const { t, i18n } = useTranslation()
  const queryClient = useQueryClient()
  const unit = useRemPixels()
  const roots = useGridRoots()
  const root = roots.data?.roots[0]
  const district = useGridGeometry(root?.code)
  const towns = useGridChildrenGeometry(root?.code)
  const categoryTree = useCategories()
  const categories = useMemo(() => (categoryTree.data ? indexCategories(categoryTree.data) : undefined), [categoryTree.data])

  const townByCode = useMemo(() => new Map((towns.data?.features ?? []).map((f) => [f.properties.code, f])), [towns.data])
  const stops = useMemo(
    () => (root ? tourStops(root.code, [...townByCode.keys()], params.tour === 'off' ? [] : params.tour) : []),
    [root, townByCode, params.tour],
  )
  const tour = useTour(stops.length, params.intervalMs, params.idleMs, params.tour !== 'off')
  const focus = stops[tour.index] ?? root?.code
  const focusTown = focus ? townByCode.get(focus) : undefined

  const summary = useQuery({
    queryKey: queryKeys.wall.summary(focus),
    queryFn: ({ signal }) => fetchWallSummary(focus, signal),
    enabled: focus !== undefined,
    refetchInterval: REFRESH_MS,
    refetchIntervalInBackground: true,
    placeholderData: keepPreviousData,
    staleTime: 5_000,
    retry: 1,
  })

  // While a stop is shown, the next one's figures and village outlines load, so it arrives complete.
  const nextStop = stops.length > 1 ? stops[(tour.index + 1) % stops.length] : undefined
  useEffect(() => {
    if (nextStop === undefined) return
    void queryClient.prefetchQuery({
      queryKey: queryKeys.wall.summary(nextStop),
      queryFn: ({ signal }) => fetchWallSummary(nextStop, signal),
      staleTime: 5_000,
    })
    if (townByCode.has(nextStop)) prefetchDrill(queryClient, nextStop)
  }, [nextStop, queryClient, townByCode])

  const refreshTimer = useRef<ReturnType<typeof setTimeout>>(undefined)
  useEffect(() => () => clearTimeout(refreshTimer.current), [])
  const live = useWallLive({
    onReconnected: () => {
      // Back after a loss: the events were replayed; the figures and anything that failed are fetched again.
      void queryClient.invalidateQueries({ queryKey: queryKeys.wall.all })
      void queryClient.refetchQueries({ type: 'all', predicate: (q) => q.state.status === 'error' })
    },
    onEvents: () => {
      refreshTimer.current ??= setTimeout(() => {
        refreshTimer.current = undefined
        void queryClient.invalidateQueries({ queryKey: queryKeys.wall.all })
      }, EVENT_REFRESH_MS)
    },
  })

  // Alerts: a beep for each new one (?sound=1); any key acknowledges them all.
  // Event ids only grow: acknowledging the newest alert (showing an older one again) is silent.
  const newest = live.alerts[0]?.eventId
  const heard = useRef(0)
  useEffect(() => {
    if (newest === undefined || newest <= heard.current) return
    heard.current = newest
    if (params.sound) playAlertBeep()
  }, [newest, params.sound])
  const { acknowledge } = live
  useEffect(() => {
    const onKey = () => acknowledge('all')
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [acknowledge])

  const notice = useWallNotice()
  const noticeLayers = useMemo(() => [notice.layer], [notice.layer])

  const mapRef = useRef<MapLibreMap | null>(null)
  const placeNames = useRef<readonly string[]>([])
  const onPlaceNames = useCallback((names: readonly string[]) => {
    placeNames.current = names
  }, [])
  const onMap = useCallback((map: MapLibreMap | null) => {
    mapRef.current = map
  }, [])
  const latest = useRef({ focus, points: live.points.length, stats: live.stats })
  latest.current = { focus, points: live.points.length, stats: live.stats }
  useEffect(
    () =>
      exposeWallDebugHandle({
        feed: () => latest.current.stats(),
        focus: () => latest.current.focus ?? null,
        livePoints: () => latest.current.points,
        map: () => mapRef.current,
        placeNames: () => [...placeNames.current],
      }),
    [],
  )

  useEffect(() => {
    document.documentElement.classList.add('wall-mode')
    document.title = t('wall.documentTitle')
    document.documentElement.lang = i18n.language
    return () => document.documentElement.classList.remove('wall-mode')
  }, [t, i18n.language])

  const townOf = useCallback((gridCode: string) => townByCode.get(gridCode.slice(0, 9))?.properties.name ?? '', [townByCode])
  const focusFeature = focusTown ?? district.data
  const bounds = focusFeature ? bboxOfGeometry(focusFeature.geometry) : undefined
  const camera = focus && bounds ? { key: `${focus}:${tour.resumes}`, bounds } : undefined
  const padding = useMemo(() => ({ top: unit * 1.5, right: unit * 1.5, bottom: unit * 2.5, left: unit * 1.5 }), [unit])
  // While the next stop's summary loads, the previous one stays (keepPreviousData): never an empty wall.
  const shown = summary.data
  // Down: lost and reconnecting (the first connection is not "down" until it fails once).
  const liveDownSince = live.status.state === 'reconnecting' ? live.status.since : null
  const lastUpdate = Math.max(summary.dataUpdatedAt || 0, live.status.lastAliveAt ?? 0) || null

  return (
    <div className="wall" data-focus={focus ?? ''} data-tour-index={tour.index} data-feed={live.status.state}>
      <WallHeader
        district={root?.name ?? ''}
        focusName={
          focusTown ? focusTown.properties.name : t(root?.level === -1 ? 'wall.focusProvince' : root?.level === 0 ? 'wall.focusCity' : 'wall.focusDistrict')
        }
        tour={tour}
        stopCount={stops.length}
        touring={params.tour !== 'off'}
      />
      <KpiTiles kpis={shown?.kpis} />
      <div className="wall-left">
        <CategoryChart categories={shown?.categories} />
        {params.ranking === 'score' ? (
          <ScoreRanking town={focusTown ? (focus ?? null) : null} />
        ) : (
          <TownRanking ranking={shown?.ranking} counties={shown?.countyRanking} />
        )}
      </div>
      <main className="wall-centre">
        <WallMap
          camera={camera}
          padding={padding}
          unit={unit}
          district={district.data}
          towns={towns.data}
          focusTown={focusTown}
          heat={shown?.heat.points ?? []}
          heatCellDegrees={shown?.heat.cellDegrees ?? 0.005}
          points={live.points}
          alerts={live.alerts}
          categories={categories}
          layers={params.layers}
          label={t('wall.mapLabel')}
          attribution={t('map.attribution')}
          onMap={onMap}
          onPlaceNames={onPlaceNames}
          extraLayers={noticeLayers}
          placeholder={<div className="wall-map wall-map--empty">{t('wall.loading')}</div>}
        />
        <div className="wall-legend" aria-hidden="true">
          {params.layers.has('heat') && <span className="wall-legend__item wall-legend__item--heat">{t('wall.legendHeat')}</span>}
          {params.layers.has('silent') && <span className="wall-legend__item wall-legend__item--silent">{t('fieldWork.silentLayer')}</span>}
          {params.layers.has('points') && <span className="wall-legend__item wall-legend__item--points">{t('wall.legendPoints')}</span>}
          <span className="wall-legend__item wall-legend__item--alert">{t('wall.legendAlert')}</span>
        </div>
        <WallNoticeBanner notice={notice.notice} />
        <StaleBanner liveDownSince={liveDownSince} summaryFailed={summary.isError} lastUpdate={lastUpdate} />
      </main>
      <div className="wall-right">
        <AlertPanel standing={live.alerts} recent={shown?.alerts} categories={categories} townOf={townOf} onAcknowledge={acknowledge} />
        <LiveTicker items={live.ticker} categories={categories} townOf={townOf} live={live.status.state === 'live'} />
      </div>
    </div>
  )
}
