/** The top bar: product name, the two views (situation map, analysis), the grid search and the language switch. */
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { LanguageSwitch } from './language-switch.tsx'
import { UserMenu } from '../access/user-menu.tsx'
import { useMe } from '../access/session.tsx'
import type { Me } from '../api/client.ts'
import {
  actsOnCases,
  AUDIT_PATH,
  CASE_REPORT_PATH,
  DEPARTMENTS_PATH,
  EVALUATION_PATH,
  GRID_IMPORT_PATH,
  importsGrid,
  MY_CASES_PATH,
  readsAuditLog,
  readsEvaluation,
  seesDepartments,
} from '../routing/screen-paths.ts'

export interface AppHeaderProps {
  /** The search box (it needs the app's navigation, which the header knows nothing of); none on the analyst view. */
  search: ReactNode
}

interface View {
  href: string
  key: 'nav.map' | 'nav.analyst' | 'notices.nav' | 'evaluation.nav' | 'gridImport.nav' | `cases.nav.${'mine' | 'report' | 'departments' | 'audit'}`
  /** Who sees the link (everyone when absent). */
  shownTo?: (me: Me) => boolean
  /** Listed under 更多 (more) rather than in the header's row. */
  more?: true
}

/** The views, as plain links: each is its own page load (the dashboard and the analyst view share no state). */
const VIEWS: readonly View[] = [
  { href: '/', key: 'nav.map' },
  { href: '/analyst', key: 'nav.analyst' },
  { href: MY_CASES_PATH, key: 'cases.nav.mine', shownTo: actsOnCases },
  { href: CASE_REPORT_PATH, key: 'cases.nav.report', shownTo: actsOnCases },
  { href: '/notices', key: 'notices.nav' },
  { href: EVALUATION_PATH, key: 'evaluation.nav', shownTo: readsEvaluation },
  { href: DEPARTMENTS_PATH, key: 'cases.nav.departments', shownTo: seesDepartments, more: true },
  { href: AUDIT_PATH, key: 'cases.nav.audit', shownTo: readsAuditLog, more: true },
  { href: GRID_IMPORT_PATH, key: 'gridImport.nav', shownTo: importsGrid, more: true },
]

/** The view an address belongs to: the longest link it starts with ('/' for the map and its cells). */
function currentView(path: string): string {
  const matches = VIEWS.filter((v) => v.href !== '/' && (path === v.href || path.startsWith(`${v.href}/`)))
  return matches.sort((a, b) => b.href.length - a.href.length)[0]?.href ?? '/'
}

export function AppHeader({ search }: AppHeaderProps) {
  const { t } = useTranslation()
  const me = useMe()
  const current = currentView(window.location.pathname)
  const views = VIEWS.filter((view) => !view.shownTo || view.shownTo(me))
  const more = views.filter((view) => view.more)
  // Many links (the commander's seven): the tagline gives way and the parts close up (app.css).
  return (
    <header className={`app-header${views.length > 4 ? ' app-header--crowded' : ''}`}>
      <div className="app-header__brand">
        <LogoMark />
        <div className="app-header__titles">
          <h1 className="app-header__title">{t('app.title')}</h1>
          <span className="app-header__subtitle">{t('app.subtitle')}</span>
        </div>
      </div>
      <nav className="app-nav" aria-label={t('nav.label')}>
        {views
          .filter((view) => !view.more)
          .map((view) => (
            <NavLink key={view.href} href={view.href} current={current === view.href} label={t(view.key)} />
          ))}
        {/* The office's screens (departments, the audit log) under 更多, so the commander's header
            keeps every link on one line beside the search box at laptop width, in both languages. */}
        {more.length > 0 && (
          <details className="app-nav__more" data-current={more.some((view) => view.href === current) ? '' : undefined}>
            <summary className="app-nav__link">{t('nav.more')}</summary>
            <div className="app-nav__menu">
              {more.map((view) => (
                <NavLink key={view.href} href={view.href} current={current === view.href} label={t(view.key)} />
              ))}
            </div>
          </details>
        )}
      </nav>
      <div className="app-header__context">
        <span className="app-header__tagline">{t('app.tagline')}</span>
      </div>
      {search}
      <LanguageSwitch />
      <UserMenu />
    </header>
  )
}

function NavLink(props: { href: string; current: boolean; label: string }) {
  return (
    <a className="app-nav__link" href={props.href} aria-current={props.current ? 'page' : undefined}>
      {props.label}
    </a>
  )
}

/** Nested hexagons: grid cells within grid cells. */
function LogoMark() {
  return (
    <svg className="app-header__logo" viewBox="0 0 40 40" aria-hidden="true">
      <path d="M20 3 35 11.5v17L20 37 5 28.5v-17Z" fill="none" stroke="currentColor" strokeWidth="2" />
      <path d="M20 11.5 27.5 15.75v8.5L20 28.5l-7.5-4.25v-8.5Z" fill="currentColor" opacity="0.35" />
      <circle cx="20" cy="20" r="3" fill="currentColor" />
    </svg>
  )
}
