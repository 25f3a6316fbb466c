/**
 * Security headers on every response: hono/secure-headers' default set, with framing refused
 * outright and a Content-Security-Policy that allows only this origin's own scripts (the built
 * index.html has no inline script; test/api/access-hardening.test.ts checks). Styles allow
 * 'unsafe-inline' for the style attributes the map libraries set; workers and images may come
 * from blob:/data: URLs the map creates itself. Nothing from another origin, so the UI stays
 * offline-capable by construction.
 *
 * They are set before the handler runs, not patched onto the finished response as
 * hono/secure-headers does: patching forces @hono/node-server to rebuild the response as a
 * stream, which halved the throughput of cached tiles in `npm run bench`.
 */
import type { MiddlewareHandler } from 'hono'

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "child-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

const SECURITY_HEADERS: [string, string][] = [
  ['content-security-policy', CONTENT_SECURITY_POLICY],
  ['cross-origin-opener-policy', 'same-origin'],
  ['cross-origin-resource-policy', 'same-origin'],
  ['origin-agent-cluster', '?1'],
  ['referrer-policy', 'no-referrer'],
  ['strict-transport-security', 'max-age=15552000; includeSubDomains'],
  ['x-content-type-options', 'nosniff'],
  ['x-dns-prefetch-control', 'off'],
  ['x-download-options', 'noopen'],
  ['x-frame-options', 'DENY'],
  ['x-permitted-cross-domain-policies', 'none'],
  ['x-xss-protection', '0'],
]

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    for (const [name, value] of SECURITY_HEADERS) c.header(name, value)
    await next()
  }
}
