import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { IMMUTABLE_KEY, TileCache } from './cache.ts'

const bytes = (n: number, fill = 1) => new Uint8Array(n).fill(fill)

describe('TileCache', () => {
  it('builds a tile once for concurrent requests and serves it from memory after', async () => {
    const cache = new TileCache()
    let builds = 0
    const build = async () => {
      builds++
      return bytes(100)
    }
    const [a, b] = await Promise.all([cache.getOrBuild('k', build), cache.getOrBuild('k', build)])
    await cache.getOrBuild('k', build)
    expect(builds).toBe(1)
    expect(a).toBe(b)
    expect(new Uint8Array(gunzipSync(await a.gzipped()))).toEqual(a.raw)
    expect(await a.gzipped()).toBe(await a.gzipped())
    expect(a.etag).toMatch(/^"[\w-]+"$/)
  })

  it('gives different tiles different ETags', async () => {
    const cache = new TileCache()
    const one = await cache.getOrBuild('a', async () => bytes(10, 1))
    const two = await cache.getOrBuild('b', async () => bytes(10, 2))
    expect(one.etag).not.toBe(two.etag)
  })

  it('rebuilds after invalidation and drops a build that raced it', async () => {
    const cache = new TileCache()
    let release!: () => void
    const slow = cache.getOrBuild('k', () => new Promise<Uint8Array>((resolve) => (release = () => resolve(bytes(5, 1)))))
    cache.invalidate()
    release()
    await slow
    expect(cache.get('k')).toBeUndefined()
    const fresh = await cache.getOrBuild('k', async () => bytes(5, 2))
    expect(fresh.raw[0]).toBe(2)
    cache.invalidate()
    expect(cache.size).toBe(0)
  })

  it('keeps the tiles addressed by their revision through an invalidation, and their builds that raced it', async () => {
    const cache = new TileCache()
    const kept = `${IMMUTABLE_KEY}geometry/7/12/3311/1804`
    await cache.getOrBuild(kept, async () => bytes(5, 1))
    await cache.getOrBuild('grids/440904/12/3311/1804', async () => bytes(5, 2))
    let release!: () => void
    const racing = `${IMMUTABLE_KEY}geometry/7/12/3311/1805`
    const slow = cache.getOrBuild(racing, () => new Promise<Uint8Array>((resolve) => (release = () => resolve(bytes(5, 3)))))
    cache.invalidate()
    release()
    await slow
    expect(cache.get('grids/440904/12/3311/1804')).toBeUndefined()
    expect(cache.get(kept)?.raw[0]).toBe(1)
    expect(cache.get(racing)?.raw[0]).toBe(3)
  })

  it('stays within its byte budget by evicting the least recently used tiles', async () => {
    const cache = new TileCache(10_000)
    for (let i = 0; i < 20; i++) await cache.getOrBuild(`t${i}`, async () => bytes(2_000, i))
    expect(cache.size).toBeLessThan(20)
    expect(cache.get('t19')).toBeDefined()
    expect(cache.get('t0')).toBeUndefined()
  })

  it('caches nothing with a zero budget', async () => {
    const cache = new TileCache(0)
    let builds = 0
    for (let i = 0; i < 3; i++) await cache.getOrBuild('k', async () => (builds++, bytes(10)))
    expect(builds).toBe(3)
  })
})
