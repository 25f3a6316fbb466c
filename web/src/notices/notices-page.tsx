/**
 * The notices page (/notices, /notices/new, /notices/:id). For the sender roles: the list of
 * active and closed notices, composing one, and one notice followed live with its map. A grid
 * worker sees their inbox. The address names what is open, so a banner's link lands on it.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useMe } from '../access/session.tsx'
import { useGridGeometry } from '../api/queries.ts'
import { bboxOfGeometry } from '../map/geometry.ts'
import { AppHeader } from '../panels/app-header.tsx'
import { NoticeBanner } from './notice-banner.tsx'
import { NoticeCompose, type ComposeGeometry, type PickMode } from './notice-compose.tsx'
import { NoticeDetailView } from './notice-detail.tsx'
import { formatTime } from './notice-format.ts'
import { NoticeInbox } from './notice-inbox.tsx'
import { cellFeatures, createCellStateLayer, createCluesLayer, createOutlineLayer, createPointLayer } from './notice-layers.ts'
import { bboxOfAny, NoticeMap, type NoticeMapProps } from './notice-map.tsx'
import { fetchNotice, fetchNotices, URGENT_KINDS, type CellState } from './notices-api.ts'
import { queryKeys } from '../api/query-keys.ts'

type View = { kind: 'list' } | { kind: 'new' } | { kind: 'notice'; id: number }

function parseView(path: string): View {
  const rest = path.replace(/^\/notices\/?/, '')
  if (rest === 'new') return { kind: 'new' }
  return /^[1-9][0-9]{0,15}$/.test(rest) ? { kind: 'notice', id: Number(rest) } : { kind: 'list' }
}

function pathOf(view: View): string {
  return view.kind === 'list' ? '/notices' : view.kind === 'new' ? '/notices/new' : `/notices/${view.id}`
}

export default function NoticesPage() {
  const { t } = useTranslation()
  const me = useMe()
  useEffect(() => {
    document.title = t('notices.documentTitle')
  }, [t])
  if (me.role === 'grid_worker') {
    return (
      <div className="app notices-page notices-page--inbox">
        <AppHeader search={null} />
        <main className="notices-inbox-main">
          <NoticeInbox />
        </main>
      </div>
    )
  }
  return <CommandView />
}

function CommandView() {
  const { t } = useTranslation()
  const me = useMe()
  const queryClient = useQueryClient()
  const [view, setView] = useState<View>(() => parseView(window.location.pathname))
  const [status, setStatus] = useState<'active' | 'closed'>('active')
  const [level, setLevel] = useState<number | undefined>(undefined)
  const [picking, setPicking] = useState<PickMode>(null)
  const [geometry, setGeometry] = useState<ComposeGeometry>({ mode: 'grids', centre: null, radiusM: 1000, lastSeen: null })
  const sender = ['commander', 'town_leader', 'village_leader'].includes(me.role)

  const go = useCallback((next: View) => {
    setView(next)
    setLevel(undefined)
    setPicking(null)
    window.history.pushState(null, '', pathOf(next))
  }, [])
  useEffect(() => {
    const onPop = () => setView(parseView(window.location.pathname))
    window.addEventListener('popstate', onPop)
    return () => window.removeEventListener('popstate', onPop)
  }, [])

  const list = useQuery({ queryKey: queryKeys.notices.list(status), queryFn: ({ signal }) => fetchNotices(status, signal) })
  const openId = view.kind === 'notice' ? view.id : null
  const detail = useQuery({
    queryKey: queryKeys.notices.detail(openId, level),
    queryFn: ({ signal }) => fetchNotice(openId!, level, signal),
    enabled: openId !== null,
    placeholderData: (previous) => (previous?.id === openId ? previous : undefined),
  })
  const scope = useGridGeometry(me.scope)
  const n = detail.data
  const shownLevel = n?.level ?? level ?? 5

  const states = useMemo(() => Object.fromEntries((n?.byCell ?? []).map((c) => [c.code, c.state])) as Record<string, CellState>, [n])
  const layers = useMemo((): NoticeMapProps['layers'] => {
    if (view.kind === 'new') {
      return [
        geometry.mode === 'radius' && geometry.centre && createPointLayer('compose-radius', geometry.centre, [255, 193, 77, 255], geometry.radiusM),
        geometry.lastSeen && createPointLayer('compose-last-seen', geometry.lastSeen, [255, 122, 122, 255]),
      ]
    }
    if (!n) return []
    return [
      createCellStateLayer(cellFeatures(n.byCell)),
      n.outline ? createOutlineLayer(n.outline) : null,
      n.person?.lastSeen && createPointLayer('notice-last-seen', n.person.lastSeen, [255, 122, 122, 255]),
      createCluesLayer(n.clues),
    ]
  }, [view.kind, geometry, n])

  const bounds = view.kind === 'notice' && n?.outline ? bboxOfAny(n.outline) : scope.data ? bboxOfGeometry(scope.data.geometry) : undefined
  const camera = bounds ? { key: view.kind === 'notice' ? `notice-${openId}` : `scope-${me.scope}`, bounds } : undefined

  const onPick = picking
    ? (point: { lon: number; lat: number }) => {
        setGeometry((g) => (picking === 'centre' ? { ...g, centre: point } : { ...g, lastSeen: point }))
        setPicking(null)
      }
    : undefined

  return (
    <div className="app notices-page">
      <AppHeader search={null} />
      <NoticeBanner />
      <aside className="notices-panel">
        {view.kind === 'new' && sender ? (
          <NoticeCompose
            geometry={geometry}
            onGeometry={(next) => setGeometry((g) => ({ ...g, ...next }))}
            picking={picking}
            onPicking={setPicking}
            onSent={(id) => {
              void queryClient.invalidateQueries({ queryKey: queryKeys.notices.all })
              go({ kind: 'notice', id })
            }}
            onCancel={() => go({ kind: 'list' })}
          />
        ) : view.kind === 'notice' ? (
          <>
            <button type="button" className="notice-link" onClick={() => go({ kind: 'list' })}>
              ‹ {t('notices.listTitle')}
            </button>
            {n && (
              <NoticeDetailView
                notice={n}
                level={shownLevel}
                onLevel={setLevel}
                onChanged={() => void queryClient.invalidateQueries({ queryKey: queryKeys.notices.all })}
              />
            )}
          </>
        ) : (
          <>
            <div className="notices-panel__head">
              <h2>{t('notices.listTitle')}</h2>
              {sender && (
                <button type="button" className="notice-button notice-button--primary" onClick={() => go({ kind: 'new' })}>
                  {t('notices.compose')}
                </button>
              )}
            </div>
            <div className="notice-kinds" role="tablist">
              {(['active', 'closed'] as const).map((s) => (
                <button
                  key={s}
                  type="button"
                  role="tab"
                  aria-selected={status === s}
                  className={`notice-kind${status === s ? ' is-selected' : ''}`}
                  onClick={() => setStatus(s)}
                >
                  {t(`notices.${s}`)}
                </button>
              ))}
            </div>
            {list.data?.length === 0 && <p className="notice-muted">{t('notices.none')}</p>}
            <ul className="notices-list">
              {list.data?.map((item) => (
                <li key={item.id}>
                  <button type="button" className="notices-list__item" onClick={() => go({ kind: 'notice', id: item.id })} data-notice={item.id}>
                    <span className={`notice-chip${URGENT_KINDS.includes(item.kind) ? ' notice-chip--urgent' : ''}`}>{t(`notices.kind.${item.kind}`)}</span>
                    <span className="notices-list__title">{item.title}</span>
                    <span className="notice-muted">
                      {formatTime(item.createdAt)} · {t('notices.detail.progress', { acked: item.progress.acknowledged, total: item.progress.recipients })}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </aside>
      <NoticeMap camera={camera} layers={layers} states={states} onPick={onPick} />
    </div>
  )
}
