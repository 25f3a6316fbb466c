/**
 * Opens the basemap at start: a PMTiles archive is read with the `pmtiles` library (its header
 * says vector or raster, the zooms and the bounds; its metadata may carry the attribution), so a
 * file that is missing or is not a PMTiles v3 archive stops the start with a sentence naming
 * BASEMAP. What the client is told (GET /api/meta → `basemap`) is built here too.
 */
import { open, stat } from 'node:fs/promises'
import { gunzipSync } from 'node:zlib'
import { Compression, PMTiles, TileType, type RangeResponse, type Source } from 'pmtiles'
import type { BasemapConfig } from './config.ts'

/** The archive's address, under /tiles (signed-in readers only, like the grid's tiles). */
export const ARCHIVE_PATH = '/tiles/basemap.pmtiles'
/** Tiles of an XYZ/WMTS server, fetched by Gridscope. */
export const XYZ_PATH = '/tiles/basemap/{z}/{x}/{y}'

/** What the client needs to draw the basemap (GET /api/meta). */
export type BasemapInfo =
  | { kind: 'none' }
  | {
      kind: 'pmtiles'
      /** The archive's URL, read by the client with range requests (pmtiles:// in MapLibre). */
      url: string
      tiles: 'vector' | 'raster'
      minzoom: number
      maxzoom: number
      bounds: [number, number, number, number]
      attribution: string
    }
  | { kind: 'xyz'; tiles: string; minzoom: number; maxzoom: number; attribution: string }

export type Basemap =
  | { config: { kind: 'none' }; info: BasemapInfo }
  | { config: Extract<BasemapConfig, { kind: 'pmtiles' }>; info: BasemapInfo }
  | { config: Extract<BasemapConfig, { kind: 'xyz' }>; info: BasemapInfo }

export const NO_BASEMAP: Basemap = { config: { kind: 'none' }, info: { kind: 'none' } }

/** An archive that cannot be used; the start stops with its message. */
export class BasemapArchiveError extends Error {}

/** Reads a local file for the pmtiles library. */
export class NodeFileSource implements Source {
  constructor(private readonly path: string) {}
  getKey() {
    return this.path
  }
  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const file = await open(this.path, 'r')
    try {
      const buffer = Buffer.alloc(length)
      const { bytesRead } = await file.read(buffer, 0, length, offset)
      return { data: buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + bytesRead) as ArrayBuffer }
    } finally {
      await file.close()
    }
  }
}

async function decompress(buf: ArrayBuffer, compression: Compression): Promise<ArrayBuffer> {
  if (compression === Compression.None || compression === Compression.Unknown) return buf
  if (compression === Compression.Gzip) {
    const out = gunzipSync(new Uint8Array(buf))
    return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer
  }
  throw new BasemapArchiveError(`its directories use compression ${Compression[compression]}, which is not supported (gzip or none)`)
}

export async function openBasemap(config: BasemapConfig): Promise<Basemap> {
  if (config.kind === 'none') return NO_BASEMAP
  if (config.kind === 'xyz') return { config, info: { kind: 'xyz', tiles: XYZ_PATH, minzoom: 0, maxzoom: config.maxzoom, attribution: config.attribution } }
  const refuse = (why: string) => new BasemapArchiveError(`Setting BASEMAP=pmtiles:${config.path} cannot be used: ${why}.`)
  const file = await stat(config.path).catch(() => null)
  if (!file?.isFile()) throw refuse('there is no such file')
  const archive = new PMTiles(new NodeFileSource(config.path), undefined, decompress)
  let header: Awaited<ReturnType<PMTiles['getHeader']>>
  let metadata: unknown
  try {
    header = await archive.getHeader()
    metadata = await archive.getMetadata()
  } catch (error) {
    throw refuse(`it is not a PMTiles v3 archive (${(error as Error).message})`)
  }
  const type = header.tileType
  const tiles = type === TileType.Mvt ? 'vector' : type === TileType.Png || type === TileType.Jpeg || type === TileType.Webp ? 'raster' : null
  if (!tiles) throw refuse(`its tiles are ${TileType[type] ?? 'of an unknown type'}; expected MVT vector tiles or PNG, JPEG or WebP images`)
  if (tiles === 'vector' && header.tileCompression !== Compression.None && header.tileCompression !== Compression.Gzip)
    throw refuse('its vector tiles are compressed with something browsers cannot undo (gzip or none)')
  const fromMetadata =
    metadata && typeof metadata === 'object' && 'attribution' in metadata
      ? String((metadata as { attribution: unknown }).attribution)
          .replace(/<[^>]*>/g, '')
          .trim()
      : ''
  return {
    config,
    info: {
      kind: 'pmtiles',
      url: ARCHIVE_PATH,
      tiles,
      minzoom: header.minZoom,
      maxzoom: header.maxZoom,
      bounds: [header.minLon, header.minLat, header.maxLon, header.maxLat],
      attribution: config.attribution ?? (fromMetadata || config.path.split('/').pop()!),
    },
  }
}
