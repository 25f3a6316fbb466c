/**
 * The real app (optionally with the web client) on a free loopback port, for browser tests and
 * benchmarks that need a socket rather than app.request().
 */
import { serve, type ServerType } from '@hono/node-server'
import { createApp, type AppOptions } from '../../server/app.ts'
import type { Database } from '../../server/db/connect.ts'
import { LiveHub } from '../../server/incidents/live.ts'

export async function serveApp(db: Database, options: AppOptions = {}): Promise<{ url: string; liveHub: LiveHub; close(): Promise<void> }> {
  // Its own live hub unless given one, stopped on close: a hub left running would keep reading
  // from a database the caller closes next.
  const liveHub = options.liveHub ?? new LiveHub(db.sql)
  const app = createApp(db, { ...options, liveHub })
  let server: ServerType
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => resolve(info.port))
  })
  return {
    url: `http://127.0.0.1:${port}`,
    liveHub,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        if ('closeAllConnections' in server) server.closeAllConnections()
      })
      if (!options.liveHub) await liveHub.stop()
    },
  }
}
