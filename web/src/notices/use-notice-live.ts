/**
 * Notice events from the live feed (GET /api/live, events `notice` and `notice-progress`), one
 * EventSource per page shared by every component that listens. The browser reconnects by itself
 * and sends Last-Event-ID, so the server replays what was missed; the replay may repeat a notice
 * event (see server/notices/feed.ts), so ids already seen are dropped here. On every (re)connect
 * the listeners are told, so they can refetch what they show.
 */
import { useEffect, useRef } from 'react'
import type { NoticeLiveEvent } from './notices-api.ts'

export type NoticeEventName = 'notice' | 'notice-progress'
type Listener = { onEvent(event: NoticeLiveEvent, name: NoticeEventName): void; onOpen?(): void }

const listeners = new Set<Listener>()
const seen = new Set<number>()
let source: EventSource | null = null

function open(): void {
  if (source) return
  source = new EventSource('/api/live')
  const handle = (name: NoticeEventName) => (message: MessageEvent<string>) => {
    const id = Number(message.lastEventId)
    if (seen.has(id)) return
    seen.add(id)
    if (seen.size > 5000) seen.delete(seen.values().next().value!)
    try {
      const event = JSON.parse(message.data) as NoticeLiveEvent
      for (const listener of listeners) listener.onEvent(event, name)
    } catch {
      // A malformed event is dropped; the next one (or a reconnect) carries on.
    }
  }
  source.addEventListener('notice', handle('notice'))
  source.addEventListener('notice-progress', handle('notice-progress'))
  // The server joined this stream to the notice feed: marked on the document for end-to-end tests.
  source.addEventListener('notices-ready', () => {
    document.documentElement.dataset.noticeLive = 'ready'
  })
  source.addEventListener('ready', () => {
    for (const listener of listeners) listener.onOpen?.()
  })
}

function close(): void {
  delete document.documentElement.dataset.noticeLive
  source?.close()
  source = null
}

/** Calls `onEvent` for each notice event the signed-in viewer may see, `onOpen` on each (re)connect. */
export function useNoticeLive(onEvent: Listener['onEvent'], onOpen?: () => void): void {
  const latest = useRef<Listener>({ onEvent, onOpen })
  latest.current = { onEvent, onOpen }
  useEffect(() => {
    const listener: Listener = { onEvent: (e, n) => latest.current.onEvent(e, n), onOpen: () => latest.current.onOpen?.() }
    listeners.add(listener)
    open()
    return () => {
      listeners.delete(listener)
      if (!listeners.size) close()
    }
  }, [])
}
