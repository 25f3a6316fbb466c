/**
 * Notice events from the live feed (GET /api/live, events `notice` and `notice-progress`) for the
 * components of a page, through the one live-feed client (api/live-feed.ts) that reconnects with
 * backoff and resumes after the last event: one connection per page, shared by every component
 * that listens, opened with the first and closed with the last. A replay may repeat a notice
 * event (see server/notices/feed.ts), so ids already seen are dropped here. On every reconnect the
 * listeners are told, so they can refetch what they show.
 */
import { useEffect, useRef } from 'react'
import { LiveFeed, type NoticeEventName } from '../api/live-feed.ts'
import type { NoticeLiveEvent } from './notices-api.ts'

export type { NoticeEventName }
type Listener = { onEvent(event: NoticeLiveEvent, name: NoticeEventName): void; onOpen?(): void }

const SEEN_KEPT = 5000
const listeners = new Set<Listener>()
const seen = new Set<number>()
let feed: LiveFeed | null = null

function receive(name: NoticeEventName, id: number, data: string): void {
  if (seen.has(id)) return
  seen.add(id)
  if (seen.size > SEEN_KEPT) seen.delete(seen.values().next().value!)
  let event: NoticeLiveEvent
  try {
    event = JSON.parse(data) as NoticeLiveEvent
  } catch {
    return // A malformed event is dropped; the next one (or a reconnect) carries on.
  }
  for (const listener of listeners) listener.onEvent(event, name)
}

function open(): void {
  if (feed) return
  feed = new LiveFeed({
    onEvent: () => {},
    onStatus: () => {},
    onReconnected: () => {
      for (const listener of listeners) listener.onOpen?.()
    },
    onNotice: receive,
    // The server joined this stream to the notice feed: marked on the document for end-to-end tests.
    onNoticesReady: () => {
      document.documentElement.dataset.noticeLive = 'ready'
    },
  })
  feed.start()
}

function close(): void {
  delete document.documentElement.dataset.noticeLive
  feed?.stop()
  feed = null
}

/** Calls `onEvent` for each notice event the signed-in viewer may see, `onOpen` after each reconnect. */
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
