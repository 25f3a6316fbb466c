/**
 * The API process's figures for Prometheus (prom-client), one registry per app: requests and
 * their latency by route pattern (`/api/incidents/:id`, never the path as sent, so no code, id or
 * name of a person reaches the labels), the database's connections, live clients, the report
 * writer's queue, the tile cache's hits and misses, and Node's own figures (heap, event loop).
 * Nothing here names a user, a session, an address or a case.
 */
import type { MiddlewareHandler } from 'hono'
import { matchedRoutes } from 'hono/route'
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import type { Database } from '../db/connect.ts'
import { reportQueueDepth } from '../incidents/service.ts'
import type { LiveHub } from '../incidents/live.ts'
import { TileCache } from '../tiles/cache.ts'
import { log } from '../log.ts'

export interface Metrics {
  registry: Registry
  /** Counts and times every request by its route pattern. */
  middleware: MiddlewareHandler
}

export function createMetrics(db: Database, sources: { liveHub: LiveHub; tileCache: TileCache }): Metrics {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const requests = new Counter({
    name: 'gridscope_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  })
  const latency = new Histogram({
    name: 'gridscope_http_request_duration_seconds',
    help: 'Time to the response headers, by method and route pattern (streams: until they start)',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  })
  new Gauge({
    name: 'gridscope_live_clients',
    help: 'Live feed (SSE) clients connected to this process',
    registers: [registry],
    collect() {
      this.set(sources.liveHub.clientCount)
    },
  })
  new Gauge({
    name: 'gridscope_report_writer_queue',
    help: "Reports waiting for the report writer's next statement in this process",
    registers: [registry],
    collect() {
      this.set(reportQueueDepth(db.sql))
    },
  })
  new Gauge({
    name: 'gridscope_db_pool_max',
    help: "Connections this process's database pool may open",
    registers: [registry],
    collect() {
      this.set(db.sql.options.max)
    },
  })
  new Gauge({
    name: 'gridscope_db_connections',
    help: 'Connections of every Gridscope process in the database, by state (pg_stat_activity)',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      this.reset()
      try {
        const rows = await db.sql<{ state: string; n: number }[]>`
          select coalesce(state, 'unknown') as state, count(*)::int as n
          from pg_stat_activity where application_name = 'gridscope' group by 1`
        for (const row of rows) this.set({ state: row.state }, row.n)
      } catch (error) {
        log.warn({ err: error }, 'metrics: database connections not read')
      }
    },
  })
  if (db.replica) {
    const replica = db.replica
    new Gauge({
      name: 'gridscope_replica_lag_seconds',
      help: 'How far the read replica is behind the primary (0: all replayed; absent while it is down)',
      registers: [registry],
      collect() {
        this.reset()
        const { lagSeconds } = replica.state()
        if (lagSeconds !== null) this.set(lagSeconds)
      },
    })
    new Gauge({
      name: 'gridscope_replica_up',
      help: 'Whether the read replica answers (1) or read routes fell back to the primary (0)',
      registers: [registry],
      collect() {
        this.set(replica.state().up ? 1 : 0)
      },
    })
  }
  const tiles = sources.tileCache instanceof CountingTileCache ? sources.tileCache : null
  new Counter({
    name: 'gridscope_tile_cache_requests_total',
    help: "Tile requests by the in-process tile cache's answer (hit: a finished tile; miss: built)",
    labelNames: ['result'] as const,
    registers: [registry],
    collect() {
      this.reset()
      this.inc({ result: 'hit' }, tiles?.hits ?? 0)
      this.inc({ result: 'miss' }, tiles?.misses ?? 0)
    },
  })
  const middleware: MiddlewareHandler = async (c, next) => {
    const started = process.hrtime.bigint()
    await next()
    const route = routeOf(c)
    const seconds = Number(process.hrtime.bigint() - started) / 1e9
    requests.inc({ method: c.req.method, route, status: String(c.res.status) })
    latency.observe({ method: c.req.method, route }, seconds)
  }
  return { registry, middleware }
}

/** The pattern of the handler that answered (`/api/grids/:code`), or `unmatched`. */
function routeOf(c: Parameters<MiddlewareHandler>[0]): string {
  const handler = matchedRoutes(c).findLast((r) => r.method !== 'ALL')
  return handler?.path ?? 'unmatched'
}

/** The tile cache, counting its hits and misses for /metrics. */
export class CountingTileCache extends TileCache {
  hits = 0
  misses = 0

  override getOrBuild(key: string, build: () => Promise<Uint8Array>): ReturnType<TileCache['getOrBuild']> {
    if (this.get(key)) this.hits++
    else this.misses++
    return super.getOrBuild(key, build)
  }
}
