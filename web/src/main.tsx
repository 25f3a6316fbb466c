/** Entry point: i18n (remembered language), react-query, and the dashboard (or, at /wall, the wall display). */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { lazy, StrictMode, Suspense } from 'react'
import { createRoot } from 'react-dom/client'
import { I18nextProvider } from 'react-i18next'
import { App } from './app.tsx'
import { createI18n, readStoredLanguage, syncLanguageWithDocument } from './i18n/index.ts'
import './styles/app.css'
import { isWallPath, parseWallParams } from './wall/wall-params.ts'

// The wall is set up by its address (its language too) and loads its own chunk.
const wall = isWallPath(window.location.pathname) ? parseWallParams(window.location.search) : null
const WallPage = lazy(() => import('./wall/wall-page.tsx').then((m) => ({ default: m.WallPage })))

const i18n = createI18n(wall ? wall.language : readStoredLanguage())
if (!wall) syncLanguageWithDocument(i18n)

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 2, refetchOnWindowFocus: false } },
})

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        {wall ? <Suspense><WallPage params={wall} /></Suspense> : <App />}
      </QueryClientProvider>
    </I18nextProvider>
  </StrictMode>,
)
