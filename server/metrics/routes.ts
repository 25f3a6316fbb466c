/**
 * GET /metrics: the Prometheus text format. Readable with `Authorization: Bearer <METRICS_TOKEN>`
 * when that setting is given, else only from this machine's loopback and not through a proxy
 * (a request nginx forwards carries X-Forwarded-For; deploy/nginx/gridscope.conf also answers
 * /metrics 404 itself). Refused: 403 problem+json.
 */
import { timingSafeEqual, createHash } from 'node:crypto'
import { getConnInfo } from '@hono/node-server/conninfo'
import { Hono, type Context } from 'hono'
import { HttpProblem } from '../http/problem.ts'
import type { Metrics } from './metrics.ts'

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/

export function metricsRoutes(metrics: Metrics, token: string | undefined) {
  return new Hono().get('/', async (c) => {
    if (!(token ? hasToken(c, token) : fromLoopback(c))) {
      throw new HttpProblem(
        403,
        'Metrics not readable',
        token ? 'Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.' : 'Read /metrics from this machine (loopback), or set METRICS_TOKEN.',
      )
    }
    return c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store' })
  })
}

function hasToken(c: Context, token: string): boolean {
  const sent = /^Bearer (\S+)$/.exec(c.req.header('authorization') ?? '')?.[1] ?? ''
  // Digests of equal length: the comparison takes the same time whatever was sent.
  const digest = (s: string) => createHash('sha256').update(s).digest()
  return timingSafeEqual(digest(sent), digest(token))
}

function fromLoopback(c: Context): boolean {
  if (c.req.header('x-forwarded-for') !== undefined || c.req.header('forwarded') !== undefined) return false
  try {
    return LOOPBACK.test(getConnInfo(c).remote.address ?? '')
  } catch {
    return true // app.request() in tests: no socket, the process itself
  }
}
