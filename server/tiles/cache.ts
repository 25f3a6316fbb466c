/**
 * The in-process tile cache: finished tiles (raw and gzipped, with their ETag) in an LRU bounded
 * by bytes. `invalidate()` empties it when the data under the tiles changes; cached entries also
 * remember the data version they were built from, so a build racing an invalidation is dropped.
 */
import { createHash } from 'node:crypto'
import { promisify } from 'node:util'
import { gzip } from 'node:zlib'
import { LRUCache } from 'lru-cache'

const gzipAsync = promisify(gzip)

export interface CachedTile {
  raw: Uint8Array
  gzipped: Uint8Array
  etag: string
}

export class TileCache {
  private version = 0
  private readonly entries: LRUCache<string, CachedTile>

  constructor(maxBytes = 64 * 2 ** 20) {
    this.entries = new LRUCache<string, CachedTile>({
      maxSize: maxBytes,
      sizeCalculation: (tile) => tile.raw.byteLength + tile.gzipped.byteLength + 64,
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
          if (version === this.version) this.entries.set(key, tile)
          return tile
        })
        .finally(() => this.pending.delete(key))
      this.pending.set(key, pending)
    }
    return pending
  }

  invalidate(): void {
    this.version++
    this.entries.clear()
  }

  get size(): number {
    return this.entries.size
  }

  private readonly pending = new Map<string, Promise<CachedTile>>()
}

async function finishTile(raw: Uint8Array): Promise<CachedTile> {
  const etag = `"${createHash('sha1').update(raw).digest('base64url')}"`
  return { raw, gzipped: raw.byteLength ? await gzipAsync(raw) : raw, etag }
}
