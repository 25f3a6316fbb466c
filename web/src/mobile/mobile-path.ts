/** The phone page's address, and who lands there after signing in: a grid worker on a small screen. */
export const MOBILE_PATH = '/m'
/** Phones up to the largest (430 px wide) and small tablets held upright. */
export const SMALL_SCREEN_QUERY = '(max-width: 760px)'

export function isMobilePath(pathname: string): boolean {
  return pathname === MOBILE_PATH || pathname.startsWith(`${MOBILE_PATH}/`)
}

export function isSmallScreen(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia(SMALL_SCREEN_QUERY).matches
}
