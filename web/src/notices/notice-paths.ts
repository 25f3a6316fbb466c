/** The notices page's addresses (kept apart so the entry point does not load the page's chunk). */
export function isNoticesPath(path: string): boolean {
  return path === '/notices' || path.startsWith('/notices/')
}
