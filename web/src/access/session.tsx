/**
 * Who is signed in, for the whole client. The gate asks GET /api/auth/me once; without a session
 * it shows the login page at /login (remembering where the user was going), with one it renders
 * the dashboard and offers `useMe()` to every screen. A wall display's link (?token=…) is
 * exchanged for a read-only session cookie first and the token removed from the address bar.
 * Any API answer of 401 later (session expired, user disabled, token revoked) asks /me again,
 * which brings the login page back.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react'
import { ApiError, fetchMe, signInWall, type Me } from '../api/client.ts'
import { pathOfCode } from '../routing/grid-route.ts'
import { LoginPage } from './login-page.tsx'
import { queryKeys } from '../api/query-keys.ts'
import { isSmallScreen, MOBILE_PATH } from '../mobile/mobile-path.ts'

export const LOGIN_PATH = '/login'

const MeContext = createContext<Me | null>(null)

/** The signed-in viewer; only inside the gate. */
export function useMe(): Me {
  const me = useContext(MeContext)
  if (!me) throw new Error('useMe outside the session gate')
  return me
}

/**
 * Where a signed-in user lands: the page they asked for, else a grid worker on a small screen
 * gets the phone page and everyone else the map at their own scope.
 */
export function landingPath(me: Me, requested: string | null, smallScreen = isSmallScreen()): string {
  if (requested && requested !== '/' && !requested.startsWith(LOGIN_PATH)) return requested
  if (me.role === 'grid_worker' && smallScreen) return MOBILE_PATH
  return me.scope.length > 6 ? pathOfCode(me.scope) : '/'
}

function takeWallToken(): string | null {
  const url = new URL(window.location.href)
  const token = url.searchParams.get('token')
  if (!token) return null
  url.searchParams.delete('token')
  window.history.replaceState(null, '', url.pathname + url.search + url.hash)
  return token
}

export function SessionGate({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient()
  const [wallToken] = useState(takeWallToken)
  const [wallFailed, setWallFailed] = useState(false)
  const [wallDone, setWallDone] = useState(wallToken === null)
  useEffect(() => {
    if (!wallToken) return
    signInWall(wallToken)
      .then(
        (me) => queryClient.setQueryData(queryKeys.me, me),
        () => setWallFailed(true),
      )
      .finally(() => setWallDone(true))
  }, [wallToken, queryClient])

  const me = useQuery({ queryKey: queryKeys.me, queryFn: fetchMe, enabled: wallDone, staleTime: Number.POSITIVE_INFINITY, retry: false })
  const signedOut = me.error instanceof ApiError && me.error.problem.status === 401

  // The first page after signing in (or opening the plain address) is the user's own area.
  const [landed, setLanded] = useState(false)
  if (me.data && !landed) {
    const here = window.location.pathname + window.location.search
    const target = landingPath(me.data, window.location.pathname === '/' || window.location.pathname === LOGIN_PATH ? readNext() : here)
    if (target !== here) window.history.replaceState(null, '', target)
    setLanded(true)
  }
  useEffect(() => {
    if (signedOut && window.location.pathname !== LOGIN_PATH) {
      const next = window.location.pathname + window.location.search
      window.history.replaceState({ next }, '', LOGIN_PATH)
    }
    if (signedOut) setLanded(false)
  }, [signedOut])

  if (signedOut || wallFailed) return <LoginPage wallFailed={wallFailed} onSignedIn={(data) => queryClient.setQueryData(queryKeys.me, data)} />
  if (!me.data || !landed) return <div className="app" aria-busy="true" />
  return <MeContext.Provider value={me.data}>{children}</MeContext.Provider>
}

function readNext(): string | null {
  const next = (window.history.state as { next?: unknown } | null)?.next
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : null
}
