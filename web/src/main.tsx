/**
 * Entry point: i18n (remembered language), react-query, the session gate, and the page the
 * address asks for: the wall display at /wall, the analyst view at /analyst, the grid worker's
 * phone page at /m, the case-handling screens (/cases, /cases/report, /departments, /audit) and
 * the evaluation (/evaluation), the grid import (/import), the base-data import (/import/base-data) (each
 * loaded on demand, so the dashboard's bundle does not carry them), else the dashboard.
 */
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { lazy, StrictMode, Suspense } from 'react'
import { createRoot } from 'react-dom/client'
import { I18nextProvider } from 'react-i18next'
import { DashboardPage } from './dashboard/dashboard-page.tsx'
import { ApiError } from './api/client.ts'
import { SessionGate } from './access/session.tsx'
import { isAnalystPath, rewriteAnalystAddress } from './analyst/use-analyst-filter.ts'
import { isMobilePath } from './mobile/mobile-path.ts'
import { createI18n, readStoredLanguage, syncLanguageWithDocument } from './i18n/index.ts'
import './styles/app.css'
import { isWallPath, parseWallParams } from './wall/wall-params.ts'
import { isReportPath } from './report/report-api.ts'
import { isNoticesPath } from './notices/notice-paths.ts'
import { queryKeys } from './api/query-keys.ts'
import {
  isAuditPath,
  isBaseDataImportPath,
  isCaseReportPath,
  isDepartmentsPath,
  isEvaluationPath,
  isGridImportPath,
  isMyCasesPath,
} from './routing/screen-paths.ts'

// The wall is set up by its address (its language too) and loads its own chunk.
const wall = isWallPath(window.location.pathname) ? parseWallParams(window.location.search) : null
const WallPage = lazy(() => import('./wall/wall-page.tsx').then((m) => ({ default: m.WallPage })))

// The analyst's address says its selection from the first moment (see use-analyst-filter.ts).
if (isAnalystPath(window.location.pathname)) rewriteAnalystAddress()
const AnalystPage = lazy(() => import('./analyst/analyst-page.tsx'))
const ReportPage = lazy(() => import('./report/report-page.tsx'))
const MobilePage = lazy(() => import('./mobile/mobile-page.tsx'))
const NoticesPage = lazy(() => import('./notices/notices-page.tsx'))
const MyCasesPage = lazy(() => import('./my-cases/my-cases-page.tsx'))
const CaseReportPage = lazy(() => import('./case-report/case-report-page.tsx'))
const DepartmentsPage = lazy(() => import('./departments/departments-page.tsx'))
const AuditLogPage = lazy(() => import('./audit-log/audit-log-page.tsx'))
const EvaluationPage = lazy(() => import('./evaluation/evaluation-page.tsx'))
const BaseDataImportPage = lazy(() => import('./base-data-import/base-data-import-page.tsx'))
const GridImportPage = lazy(() => import('./grid-import/grid-import-page.tsx'))

/** The case-handling screens, each its own chunk, by address. */
const CASE_SCREENS = [
  { matches: isMyCasesPath, Screen: MyCasesPage },
  { matches: isCaseReportPath, Screen: CaseReportPage },
  { matches: isDepartmentsPath, Screen: DepartmentsPage },
  { matches: isAuditPath, Screen: AuditLogPage },
  { matches: isEvaluationPath, Screen: EvaluationPage },
  { matches: isBaseDataImportPath, Screen: BaseDataImportPage },
  { matches: isGridImportPath, Screen: GridImportPage },
]

const i18n = createI18n(wall ? wall.language : readStoredLanguage())
if (!wall) syncLanguageWithDocument(i18n)

// A 401 anywhere means the session has ended: ask who is signed in, which shows the login page.
const isUnauthorized = (error: unknown) => error instanceof ApiError && error.problem.status === 401
const isClientError = (error: unknown) => error instanceof ApiError && error.problem.status >= 400 && error.problem.status < 500
// Only while someone is signed in: on the login page a refused sign-in is the form's own error.
const onError = (error: unknown, key?: readonly unknown[]) => {
  if (isUnauthorized(error) && key?.[0] !== queryKeys.me[0] && queryClient.getQueryData(queryKeys.me)) {
    void queryClient.invalidateQueries({ queryKey: queryKeys.me })
  }
}
const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: (error, query) => onError(error, query.queryKey) }),
  mutationCache: new MutationCache({ onError: (error) => onError(error) }),
  // An answer in the 4xx range (unknown code, bad filter, no session) says the same the second time: not retried.
  defaultOptions: { queries: { retry: (count, error) => !isClientError(error) && count < 2, refetchOnWindowFocus: false } },
})

/** The page for the address at the time the session gate lets it through (after a sign-in's redirect too). */
function Page() {
  if (wall)
    return (
      <Suspense>
        <WallPage params={wall} />
      </Suspense>
    )
  if (isNoticesPath(window.location.pathname)) {
    return (
      <Suspense fallback={<div className="app" />}>
        <NoticesPage />
      </Suspense>
    )
  }
  const caseScreen = CASE_SCREENS.find((s) => s.matches(window.location.pathname))
  if (caseScreen) {
    return (
      <Suspense fallback={<div className="app" />}>
        <caseScreen.Screen />
      </Suspense>
    )
  }
  if (isAnalystPath(window.location.pathname)) {
    return (
      <Suspense fallback={<div className="app" />}>
        <AnalystPage />
      </Suspense>
    )
  }
  if (isReportPath(window.location.pathname)) {
    return (
      <Suspense>
        <ReportPage />
      </Suspense>
    )
  }
  if (isMobilePath(window.location.pathname)) {
    return (
      <Suspense fallback={<div className="app" />}>
        <MobilePage />
      </Suspense>
    )
  }
  return <DashboardPage />
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <SessionGate>
          <Page />
        </SessionGate>
      </QueryClientProvider>
    </I18nextProvider>
  </StrictMode>,
)
