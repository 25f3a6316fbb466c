/**
 * Entry point: i18n (remembered language), react-query, the session gate, and the dashboard (or,
 * at /wall, the wall display).
 */
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { lazy, StrictMode, Suspense } from 'react'
import { createRoot } from 'react-dom/client'
import { I18nextProvider } from 'react-i18next'
import { App } from './app.tsx'
import { ApiError } from './api/client.ts'
import { ME_QUERY_KEY, SessionGate } from './access/session.tsx'
import { createI18n, readStoredLanguage, syncLanguageWithDocument } from './i18n/index.ts'
import './styles/app.css'
import { isWallPath, parseWallParams } from './wall/wall-params.ts'

// The wall is set up by its address (its language too) and loads its own chunk.
const wall = isWallPath(window.location.pathname) ? parseWallParams(window.location.search) : null
const WallPage = lazy(() => import('./wall/wall-page.tsx').then((m) => ({ default: m.WallPage })))

const i18n = createI18n(wall ? wall.language : readStoredLanguage())
if (!wall) syncLanguageWithDocument(i18n)

// A 401 anywhere means the session has ended: ask who is signed in, which shows the login page.
const isUnauthorized = (error: unknown) => error instanceof ApiError && error.problem.status === 401
// Only while someone is signed in: on the login page a refused sign-in is the form's own error.
const onError = (error: unknown, key?: readonly unknown[]) => {
  if (isUnauthorized(error) && key?.[0] !== ME_QUERY_KEY[0] && queryClient.getQueryData(ME_QUERY_KEY)) {
    void queryClient.invalidateQueries({ queryKey: ME_QUERY_KEY })
  }
}
const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: (error, query) => onError(error, query.queryKey) }),
  mutationCache: new MutationCache({ onError: (error) => onError(error) }),
  defaultOptions: { queries: { retry: (count, error) => !isUnauthorized(error) && count < 2, refetchOnWindowFocus: false } },
})

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <SessionGate>
          {wall ? <Suspense><WallPage params={wall} /></Suspense> : <App />}
        </SessionGate>
      </QueryClientProvider>
    </I18nextProvider>
  </StrictMode>,
)
