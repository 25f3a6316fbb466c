/**
 * Entry point: i18n (remembered language), react-query, and the page the address asks for: the
 * analyst view at /analyst (loaded on demand, so the dashboard's bundle does not carry it),
 * else the dashboard.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { lazy, StrictMode, Suspense } from 'react'
import { createRoot } from 'react-dom/client'
import { I18nextProvider } from 'react-i18next'
import { App } from './app.tsx'
import { isAnalystPath } from './analyst/use-analyst-filter.ts'
import { createI18n, readStoredLanguage, syncLanguageWithDocument } from './i18n/index.ts'
import './styles/app.css'

const i18n = createI18n(readStoredLanguage())
syncLanguageWithDocument(i18n)

const AnalystPage = lazy(() => import('./analyst/analyst-page.tsx'))

const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 2, refetchOnWindowFocus: false } },
})

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        {isAnalystPath(window.location.pathname) ? (
          <Suspense fallback={<div className="app" />}>
            <AnalystPage />
          </Suspense>
        ) : (
          <App />
        )}
      </QueryClientProvider>
    </I18nextProvider>
  </StrictMode>,
)
