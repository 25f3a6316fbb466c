/**
 * In-process announcements of committed event ids (the embedded database has no NOTIFY across
 * connections): the write side announces after commit; the live feed and the figures refresher listen.
 */
import { EventEmitter } from 'node:events'

export const committedEvents = new EventEmitter().setMaxListeners(0)

export function announceEvent(eventId: number): void {
  committedEvents.emit('event', eventId)
}
