import { describe, expect, it } from 'vitest'
import { progressFraction, readWithProgress, type DownloadProgress } from './download.ts'

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk))
      controller.close()
    },
  })
}

describe('readWithProgress', () => {
  it('counts rows as line breaks after the header, across chunk boundaries', async () => {
    const seen: DownloadProgress[] = []
    const parts = await readWithProgress(streamOf(['\ufeffid,title\n1,a', '\n2,b\n3,', 'c\n']), 3, 'csv', (p) => seen.push(p))
    expect(seen.map((p) => p.rows)).toEqual([0, 0, 2, 3])
    expect(progressFraction(seen.at(-1)!)).toBe(1)
    expect(new TextDecoder('utf-8', { ignoreBOM: true }).decode(await new Blob(parts).arrayBuffer())).toBe('\ufeffid,title\n1,a\n2,b\n3,c\n')
  })

  it('has no fraction without a total, and a full one for an empty export', () => {
    expect(progressFraction({ bytes: 10, rows: 1, total: null })).toBeNull()
    expect(progressFraction({ bytes: 10, rows: 0, total: 0 })).toBe(1)
  })
})
