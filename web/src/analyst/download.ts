/**
 * Reading a streamed export with progress, and saving it. The server sends the row count first
 * (x-total-count) and then one row per line (CSV after its header line; GeoJSON one feature per
 * line), so the rows received so far are the line breaks seen so far: progress without parsing.
 */

export interface DownloadProgress {
  bytes: number
  rows: number
  /** Rows expected (x-total-count), or null when the server did not say. */
  total: number | null
}

export type ExportFormat = 'csv' | 'geojson'

/** Lines before the first row: the CSV header; the GeoJSON collection's opening line. */
const LEAD_LINES: Record<ExportFormat, number> = { csv: 1, geojson: 1 }
const NEWLINE = 0x0a

export async function readWithProgress(
  body: ReadableStream<Uint8Array>,
  total: number | null,
  format: ExportFormat,
  onProgress: (p: DownloadProgress) => void,
): Promise<Uint8Array<ArrayBuffer>[]> {
  const parts: Uint8Array<ArrayBuffer>[] = []
  const reader = body.getReader()
  let bytes = 0
  let lines = 0
  onProgress({ bytes, rows: 0, total })
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    parts.push(value as Uint8Array<ArrayBuffer>)
    bytes += value.byteLength
    for (let i = 0; i < value.length; i++) if (value[i] === NEWLINE) lines++
    const rows = Math.max(0, lines - LEAD_LINES[format])
    onProgress({ bytes, rows: total === null ? rows : Math.min(total, rows), total })
  }
  return parts
}

/** 0…1 of a download, or null when the total is unknown. */
export function progressFraction(p: DownloadProgress): number | null {
  if (p.total === null) return null
  return p.total === 0 ? 1 : Math.min(1, p.rows / p.total)
}

/** Saves a Blob as a file through a temporary link (no server round trip, works offline). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}
