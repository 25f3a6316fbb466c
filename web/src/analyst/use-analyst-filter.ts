/**
 * The analyst filter, kept in the address bar. Every committed change (a click, a chosen value,
 * a finished drag, Enter in the text box: never a keystroke) pushes one history entry, so the
 * browser's back and forward buttons step through the analyst's changes, and a reload or a
 * shared link opens the same selection. A bare /analyst is rewritten (not pushed) to the default
 * selection, so back does not land on an address that means something else. The rewrite happens
 * when the client starts (`rewriteAnalystAddress`, called by main.tsx before anything renders), not
 * once the session is known and the page's chunk has loaded: the address is right by the time the
 * document has loaded, and whatever reads it meanwhile (a sign-in's "next", the user, a test) never
 * sees the bare one.
 */
import { useCallback, useEffect, useMemo, useState } from 'react'
import { filterFromSearch, searchOfFilter, type AnalystFilter } from './filter-state.ts'

export const ANALYST_PATH = '/analyst'

export function isAnalystPath(pathname: string): boolean {
  return pathname === ANALYST_PATH || pathname === `${ANALYST_PATH}/`
}

/** The page address of a selection. An empty one still needs a parameter, or it would read as the default. */
export function addressOfFilter(filter: AnalystFilter): string {
  return `${ANALYST_PATH}${searchOfFilter(filter) || '?all=1'}`
}

/** Writes the canonical address of the selection the current address means (replacing it, no history entry). */
export function rewriteAnalystAddress(): void {
  const canonical = addressOfFilter(filterFromSearch(window.location.search))
  if (canonical !== window.location.pathname + window.location.search) window.history.replaceState(window.history.state, '', canonical)
}

export interface AnalystFilterState {
  filter: AnalystFilter
  /** Commits a new selection: one history entry (none when nothing changed). */
  commit: (next: AnalystFilter) => void
}

export function useAnalystFilter(): AnalystFilterState {
  const [filter, setFilter] = useState(() => filterFromSearch(window.location.search))

  useEffect(() => {
    // Already done at start-up; again here in case the page was reached without a load.
    rewriteAnalystAddress()
    const onPopState = () => setFilter(filterFromSearch(window.location.search))
    window.addEventListener('popstate', onPopState)
    return () => window.removeEventListener('popstate', onPopState)
  }, [])

  const commit = useCallback((next: AnalystFilter) => {
    const address = addressOfFilter(next)
    if (address === window.location.pathname + window.location.search) return
    window.history.pushState(null, '', address)
    setFilter(filterFromSearch(window.location.search))
  }, [])

  return useMemo(() => ({ filter, commit }), [filter, commit])
}
