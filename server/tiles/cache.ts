/**
 * The in-process tile cache: finished tiles (raw and gzipped, with their ETag) in an LRU bounded
 * by bytes. `invalidate()` empties it when the data under the tiles changes; cached entries also
 * remember the data version they were built from, so a build racing an invalidation is dropped.
 * A key that starts with IMMUTABLE_KEY names a tile whose address carries its data's revision
 * (the geometry tiles): no change can make it stale, so `invalidate()` keeps it, and the
 * figures refreshed every minute do not cost the geometry tiles their cache. The LRU lets the
 * tiles of a revision that is no longer asked for go.
 */
import { createHash } from 'node:crypto'
import { promisify } from 'node:util'
import { gzip } from 'node:zlib'
import { LRUCache } from 'lru-cache'

const gzipAsync = promisify(gzip)

/** The start of the keys `invalidate()` keeps: tiles addressed by their data's revision. */
export const IMMUTABLE_KEY = 'immutable:'

export interface CachedTile {
  raw: Uint8Array
  etag: string
  /** Compressed on first demand, once, then kept with the tile. */
  gzipped(): Promise<Uint8Array>
}

export class TileCache {
  private version = 0
  private readonly entries: LRUCache<string, CachedTile>

  /** maxBytes 0 disables caching (every request builds its tile), for measurements. */
  constructor(private readonly maxBytes = 64 * 2 ** 20) {
    this.entries = new LRUCache<string, CachedTile>({
      maxSize: Math.max(1, maxBytes),
      // Counts the raw bytes twice to leave room for the gzipped copy (usually well under half).
      sizeCalculation: (tile) => 2 * tile.raw.byteLength + 64,
    })
  }

  get(key: string): CachedTile | undefined {
    return this.entries.get(key)
  }

  /** Builds (or reuses) the tile for `key`; concurrent misses for the same key share one build. */
  async getOrBuild(key: string, build: () => Promise<Uint8Array>): Promise<CachedTile> {
    const hit = this.entries.get(key)
    if (hit) return hit
    let pending = this.pending.get(key)
    if (!pending) {
      const version = this.version
      pending = build()
        .then(finishTile)
        .then((tile) => {
          if ((version === this.version || key.startsWith(IMMUTABLE_KEY)) && this.maxBytes > 0) this.entries.set(key, tile)
          return tile
        })
        .finally(() => this.pending.delete(key))
      this.pending.set(key, pending)
    }
    return pending
  }

  invalidate(): void {
    this.version++
    for (const key of [...this.entries.keys()]) if (!key.startsWith(IMMUTABLE_KEY)) this.entries.delete(key)
  }

  get size(): number {
    return this.entries.size
  }

  private readonly pending = new Map<string, Promise<CachedTile>>()
}

function finishTile(raw: Uint8Array): CachedTile {
  const etag = `"${createHash('sha1').update(raw).digest('base64url')}"`
  let gzipped: Promise<Uint8Array> | undefined
  return { raw, etag, gzipped: () => (gzipped ??= raw.byteLength ? gzipAsync(raw) : Promise.resolve(raw)) }
}
