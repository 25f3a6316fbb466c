/**
 * The client's address, for rate limits and the audit log: the socket's, unless the socket is a
 * proxy named in TRUSTED_PROXIES (nginx on the same machine: 127.0.0.1), whose X-Forwarded-For
 * names the client (its last entry: the address the proxy itself saw; entries before it are
 * whatever the client claimed). Behind nginx without it, every client would share the proxy's
 * address and its sign-in allowance.
 */
import { isIP } from 'node:net'
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'

let trusted: ReadonlySet<string> = new Set()

/** Set once at start-up from TRUSTED_PROXIES. */
export function trustProxies(addresses: readonly string[]): void {
  trusted = new Set(addresses.flatMap((a) => [a, `::ffff:${a}`]))
}

export function clientIp(c: Context): string {
  let socket: string
  try {
    socket = getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'local' // app.request() in tests has no socket
  }
  if (!trusted.has(socket)) return socket
  const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim()
  return forwarded && isIP(forwarded) ? forwarded : socket
}
