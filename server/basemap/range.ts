/**
 * HTTP range requests (RFC 9110 §14) on a file of known size, as PMTiles readers make them:
 * one range per request (`bytes=0-16383`, `bytes=500-`, `bytes=-100`). Pure, no I/O.
 */

export type RangeAnswer =
  /** No usable Range header (absent, not bytes, several ranges, malformed): the whole file, 200. */
  | { kind: 'whole' }
  /** One satisfiable range, 206: first and last byte, inclusive. */
  | { kind: 'partial'; start: number; end: number }
  /** A syntactically valid range that starts beyond the file: 416 with `Content-Range: bytes *\/size`. */
  | { kind: 'unsatisfiable' }

export function parseRange(header: string | undefined, size: number): RangeAnswer {
  if (!header) return { kind: 'whole' }
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  // Several ranges or another unit: RFC 9110 lets a server ignore the header and send the whole file.
  if (!match) return { kind: 'whole' }
  const [, first, last] = match as unknown as [string, string, string]
  if (first === '' && last === '') return { kind: 'whole' }
  if (first === '') {
    // A suffix: the last N bytes.
    const length = Number(last)
    if (length === 0) return { kind: 'unsatisfiable' }
    if (size === 0) return { kind: 'unsatisfiable' }
    return { kind: 'partial', start: Math.max(0, size - length), end: size - 1 }
  }
  const start = Number(first)
  const end = last === '' ? Number.MAX_SAFE_INTEGER : Number(last)
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) return { kind: 'whole' }
  if (start >= size) return { kind: 'unsatisfiable' }
  return { kind: 'partial', start, end: Math.min(end, size - 1) }
}

/** Whether an If-None-Match header matches the entity tag (weak comparison, `*` included). */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false
  const bare = (tag: string) => tag.trim().replace(/^W\//, '')
  return header.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag))
}
