/**
 * The selected grid cell, kept in the address bar: selecting pushes a history entry, so the
 * browser's back and forward buttons walk the drill path, and a reload or a shared link opens
 * the same cell. No router package: one route with one parameter does not need one.
 */
import { useCallback, useEffect, useMemo, useState } from 'react'
import { codeFromPath, pathOfCode } from '../routing/grid-route.ts'

export interface GridRoute {
  /** The selected cell, or null for the root (the district). */
  code: string | null
  /** Selects a cell (null: the root); `replace` rewrites the current entry instead of adding one. */
  navigate: (code: string | null, options?: { replace?: boolean }) => void
}

export function useGridRoute(): GridRoute {
  const [code, setCode] = useState(() => codeFromPath(window.location.pathname))

  useEffect(() => {
    const onPopState = () => setCode(codeFromPath(window.location.pathname))
    window.addEventListener('popstate', onPopState)
    return () => window.removeEventListener('popstate', onPopState)
  }, [])

  const navigate = useCallback((next: string | null, { replace = false } = {}) => {
    const path = pathOfCode(next)
    if (path !== window.location.pathname) {
      if (replace) window.history.replaceState(null, '', path)
      else window.history.pushState(null, '', path)
    }
    setCode(next)
  }, [])

  return useMemo(() => ({ code, navigate }), [code, navigate])
}
