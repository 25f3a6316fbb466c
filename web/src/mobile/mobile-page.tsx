/**
 * The grid worker's phone page (/m): one column for one hand outdoors, the section switched by
 * a bottom bar of large buttons (my cell, report, my cases, notices, patrol) and remembered in the
 * address (#report …), the send queue always in sight above. Every role can open it; it shows
 * the viewer's own scope. It registers the service worker the build generates, so the page and
 * its assets open without network and the page can be installed (manifest.webmanifest).
 */
import { useQuery } from '@tanstack/react-query'
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { fetchIncidents } from '../api/client.ts'
import { useGridCell, useGridChildrenGeometry, useGridGeometry } from '../api/queries.ts'
import { queryKeys } from '../api/query-keys.ts'
import { useMe } from '../access/session.tsx'
import { parentCodeOf } from '../grid/codes.ts'
import { indexCategories } from '../incidents/categories.ts'
import { OPEN_STATUSES, toIncidentPoint } from '../incidents/open-incidents.ts'
import { useCategories } from '../incidents/use-incidents.ts'
import { LanguageSwitch } from '../panels/language-switch.tsx'
import { pathOfCode } from '../routing/grid-route.ts'
import { CasesSection } from './cases-section.tsx'
import { CellMap } from './cell-map.tsx'
import { NoticeBanner } from '../notices/notice-banner.tsx'
import { NoticesSection } from './notices-section.tsx'
import { PatrolSection } from './patrol-section.tsx'
import { QueueBanner } from './queue-banner.tsx'
import { ReportForm } from './report-form.tsx'
import { usePatrol } from './use-patrol.ts'
import { useSendQueue } from './use-send-queue.ts'
import { MOBILE_PATH } from './mobile-path.ts'
import './mobile.css'

const SECTIONS = ['cell', 'report', 'cases', 'notices', 'patrol'] as const
type Section = (typeof SECTIONS)[number]
const ICONS: Record<Section, string> = { cell: '◎', report: '＋', cases: '☰', notices: '✉', patrol: '⇢' }

function sectionFromHash(): Section {
  const hash = window.location.hash.slice(1)
  return (SECTIONS as readonly string[]).includes(hash) ? (hash as Section) : 'cell'
}

function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return
  navigator.serviceWorker.register('/sw.js', { scope: MOBILE_PATH }).catch(() => {
    // Not installable here (an insecure origin); the page works the same, online.
  })
}

export default function MobilePage() {
  const { t } = useTranslation()
  const me = useMe()
  const [section, setSection] = useState<Section>(sectionFromHash)
  const [openNotice, setOpenNotice] = useState<number | null>(null)
  useEffect(() => {
    const onHash = () => setSection(sectionFromHash())
    window.addEventListener('hashchange', onHash)
    registerServiceWorker()
    return () => window.removeEventListener('hashchange', onHash)
  }, [])
  useEffect(() => {
    document.title = t('mobile.documentTitle')
  }, [t])
  const go = (next: Section) => {
    window.history.replaceState(null, '', `${MOBILE_PATH}#${next}`)
    setSection(next)
    window.scrollTo(0, 0)
  }

  const scope = me.scope
  const cellInfo = useGridCell(scope)
  const cell = useGridGeometry(scope)
  const parent = parentCodeOf(scope)
  const neighbours = useGridChildrenGeometry(parent ?? undefined)
  const tree = useCategories()
  const categories = useMemo(() => (tree.data ? indexCategories(tree.data) : undefined), [tree.data])
  const open = useQuery({
    queryKey: queryKeys.incidents.fieldOpen(scope),
    queryFn: () => fetchIncidents({ grid: scope, status: OPEN_STATUSES, limit: 200 }),
  })
  const incidents = useMemo(() => open.data?.items.map(toIncidentPoint) ?? [], [open.data])
  const queue = useSendQueue()
  const patrol = usePatrol(me.name, queue.enqueue)
  const canWrite = me.permissions.write

  return (
    <div className="field-page">
      <header className="field-header">
        <div className="field-header__titles">
          <h1 className="field-header__title">{t('mobile.title')}</h1>
          <p className="field-header__scope" data-testid="field-scope">
            {cellInfo.data
              ? [
                  cellInfo.data.name,
                  ...cellInfo.data.path
                    .slice(-2)
                    .reverse()
                    .map((step) => step.name),
                ].join(' · ')
              : scope}
          </p>
        </div>
        <LanguageSwitch />
      </header>
      <QueueBanner queue={queue} />
      {/* A notice reaches the worker on whichever section is open; "open" shows it under 通知. */}
      <NoticeBanner
        onOpen={(id) => {
          setOpenNotice(id)
          go('notices')
        }}
      />
      {patrol.running && section !== 'patrol' && (
        <button type="button" className="field-patrol-strip" onClick={() => go('patrol')}>
          {t('mobile.patrol.runningStrip', { count: patrol.running.recorded })}
        </button>
      )}
      <main className="field-main">
        {section === 'cell' && (
          <section className="field-section" aria-labelledby="field-cell-title">
            <h2 id="field-cell-title" className="field-section__title">
              {t('mobile.cell.title')}
            </h2>
            <CellMap
              cell={cell.data}
              neighbours={neighbours.data}
              incidents={incidents}
              categories={categories}
              label={t('mobile.cell.mapLabel')}
              attribution={t('map.attribution')}
            />
            <dl className="field-figures">
              <div>
                <dt>{t('mobile.cell.open')}</dt>
                <dd data-testid="open-count">{open.data?.total ?? '—'}</dd>
              </div>
              <div>
                <dt>{t('mobile.cell.households')}</dt>
                <dd>{cellInfo.data ? cellInfo.data.stats.households.toLocaleString() : '—'}</dd>
              </div>
            </dl>
            <div className="field-links">
              {canWrite && (
                <button type="button" className="field-button field-button--primary field-button--big" onClick={() => go('report')}>
                  {t('mobile.cell.report')}
                </button>
              )}
              <a className="field-button field-button--secondary" href={pathOfCode(scope.length > 6 ? scope : null)}>
                {t('mobile.fullMap')}
              </a>
            </div>
          </section>
        )}
        {section === 'report' &&
          (canWrite ? (
            <ReportForm
              user={me.name}
              tree={tree.data}
              categories={categories}
              cell={cell.data}
              neighbours={neighbours.data}
              incidents={incidents}
              onQueue={queue.enqueue}
            />
          ) : (
            <section className="field-section">
              <p className="field-empty">{t('mobile.readOnly')}</p>
            </section>
          ))}
        {section === 'cases' && (
          <CasesSection scope={scope} canWrite={canWrite} tree={tree.data} categories={categories} waiting={queue.waiting} onQueue={queue.enqueue} />
        )}
        {section === 'notices' && <NoticesSection open={openNotice} onOpen={setOpenNotice} />}
        {section === 'patrol' && <PatrolSection patrol={patrol} canWrite={canWrite} />}
      </main>
      <nav className="field-nav" aria-label={t('mobile.nav')}>
        {SECTIONS.map((s) => (
          <button key={s} type="button" className="field-nav__item" aria-current={section === s ? 'page' : undefined} onClick={() => go(s)}>
            <span className="field-nav__icon" aria-hidden="true">
              {ICONS[s]}
            </span>
            <span className="field-nav__label">{t(`mobile.sections.${s}`)}</span>
          </button>
        ))}
      </nav>
    </div>
  )
}
