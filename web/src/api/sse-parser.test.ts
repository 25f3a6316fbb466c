import { describe, expect, it } from 'vitest'
import { SseParser } from './sse-parser.ts'

describe('SseParser', () => {
  it('parses events cut at any point, with ids, and skips comments', () => {
    const stream =
      'event: ready\ndata: {}\nretry: 2000\n\n: heartbeat\n\nid: 41\nevent: incident\ndata: {"id":41}\n\nid: 42\r\nevent: incident\r\ndata: {"id":\r\ndata: 42}\r\n\r\n'
    for (const size of [1, 3, 7, stream.length]) {
      const parser = new SseParser()
      const messages = []
      for (let i = 0; i < stream.length; i += size) messages.push(...parser.push(stream.slice(i, i + size)))
      expect(messages, `chunks of ${size}`).toEqual([
        { event: 'ready', data: '{}', id: null, retry: 2000 },
        { event: 'incident', data: '{"id":41}', id: '41', retry: null },
        { event: 'incident', data: '{"id":\n42}', id: '42', retry: null },
      ])
    }
  })

  it('holds back an incomplete message until its blank line arrives', () => {
    const parser = new SseParser()
    expect(parser.push('event: incident\ndata: x\n')).toEqual([])
    expect(parser.push('\n')).toEqual([{ event: 'incident', data: 'x', id: null, retry: null }])
  })
})
