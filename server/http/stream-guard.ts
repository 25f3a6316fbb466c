/**
 * Guards for long responses (exports, the live feed), so no client can hold the server's
 * resources by opening many of them or by not reading:
 * - `StreamSlots`: concurrent streams per key (user, session) and in all, 429 with Retry-After
 *   beyond either;
 * - `writeWithin`: a write the client has not taken within the deadline cuts its connection
 *   (the socket is destroyed, the stream's abort handlers run);
 * - `endOpenStreams`: shutdown ends every guarded stream at once instead of waiting for clients.
 */
import type { ServerResponse } from 'node:http'
import type { Context } from 'hono'
import type { StreamingApi } from 'hono/utils/stream'
import { HttpProblem } from './problem.ts'

export interface StreamLimits {
  /** A chunk a client has not taken within this many ms ends its stream. */
  writeTimeoutMs: number
  /** Concurrent exports per user, and in all. */
  exportsPerUser: number
  exportsTotal: number
  /** Concurrent live streams per session. */
  liveStreamsPerSession: number
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  writeTimeoutMs: 30_000,
  exportsPerUser: 2,
  exportsTotal: 4,
  liveStreamsPerSession: 4,
}

/** Counts streams open per key and in all; `acquire` throws a 429 problem when either is full. */
export class StreamSlots {
  private readonly open = new Map<string, number>()
  private total = 0

  constructor(
    private readonly perKey: number,
    private readonly limit = Number.POSITIVE_INFINITY,
    private readonly what = 'streams',
  ) {}

  acquire(c: Context, key: string): () => void {
    const mine = this.open.get(key) ?? 0
    if (mine >= this.perKey || this.total >= this.limit) {
      c.header('retry-after', '5')
      const detail =
        mine >= this.perKey
          ? `At most ${this.perKey} ${this.what} may run at once for you; wait for one to finish.`
          : `The server is running as many ${this.what} as it allows (${this.limit}); retry in a moment.`
      throw new HttpProblem(429, 'Too many requests', detail, undefined, { retryAfter: 5 })
    }
    this.open.set(key, mine + 1)
    this.total++
    let released = false
    return () => {
      if (released) return
      released = true
      this.total--
      const left = (this.open.get(key) ?? 1) - 1
      if (left) this.open.set(key, left)
      else this.open.delete(key)
    }
  }

  get size(): number {
    return this.total
  }
}

const openStreams = new Set<() => void>()

/** Registers a stream's `end` for shutdown; returns the function that unregisters it. */
export function trackStream(end: () => void): () => void {
  openStreams.add(end)
  return () => openStreams.delete(end)
}

/** Ends every tracked stream (shutdown). */
export function endOpenStreams(): number {
  const ends = [...openStreams]
  openStreams.clear()
  for (const end of ends) end()
  return ends.length
}

/**
 * Writes `chunk`, waiting at most `ms` for the client to take it. Late: the connection is cut and
 * the stream aborted. Resolves to false when the stream is gone (aborted, closed, cut).
 */
export async function writeWithin(c: Context, stream: StreamingApi, chunk: string | Uint8Array, ms: number): Promise<boolean> {
  if (stream.aborted || stream.closed) return false
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)))
  const outcome = await Promise.race([stream.write(chunk).then(() => 'written' as const), late])
  clearTimeout(timer)
  if (outcome === 'late') {
    cutConnection(c)
    stream.abort()
    return false
  }
  return !stream.aborted
}

/** Destroys the client's connection (served by @hono/node-server; in-memory requests have none). */
export function cutConnection(c: Context): void {
  const env = c.env as { outgoing?: ServerResponse } | undefined
  env?.outgoing?.destroy()
}
