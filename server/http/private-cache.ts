/**
 * API answers depend on who asks (the viewer's scope): a shared cache (a proxy, a CDN) must never
 * keep one for someone else. Every /api response without its own Cache-Control gets
 * `private, no-cache` (the browser may keep it but asks again); routes that know better (public
 * category tree, no-store streams) set their own.
 */
import type { MiddlewareHandler } from 'hono'

export function privateByDefault(): MiddlewareHandler {
  return async (c, next) => {
    await next()
    if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'private, no-cache')
  }
}
