/**
 * The live incident feed (GET /api/live, Server-Sent Events). This is the one request that does
 * not go through the typed Hono client: SSE is read with the browser's EventSource, which is not
 * a fetch and reconnects by itself, sending Last-Event-ID so the server replays what was missed.
 * The event shape mirrors server/incidents/live.ts (LiveEvent), imported as a type only.
 */
import type { LiveEvent } from '../../../server/incidents/live.ts'

export type { LiveEvent }

export interface LiveSubscription {
  close(): void
}

/**
 * Calls `onEvent` for every incident event in the subtree of `grid` until closed, and `onReset`
 * when the server says the client was away too long to replay what it missed: reload the state.
 */
export function subscribeToIncidents(grid: string, onEvent: (event: LiveEvent) => void, onReset?: () => void): LiveSubscription {
  const source = new EventSource(`/api/live?grid=${encodeURIComponent(grid)}`)
  const onIncident = (message: MessageEvent<string>) => {
    try {
      onEvent(JSON.parse(message.data) as LiveEvent)
    } catch {
      // A malformed event is dropped; the next one (or a reconnect) carries on.
    }
  }
  const reset = () => onReset?.()
  source.addEventListener('incident', onIncident)
  source.addEventListener('reset', reset)
  return {
    close() {
      source.removeEventListener('incident', onIncident)
      source.removeEventListener('reset', reset)
      source.close()
    },
  }
}
