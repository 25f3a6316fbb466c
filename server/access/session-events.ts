/**
 * "Some sessions have ended" (logout, a disabled user, a revoked wall token), heard at once by
 * whatever holds a session open for long: the live feed ends such a stream within a moment
 * instead of at its next periodic check. In this process it is an event; other processes on the
 * same PostgreSQL (a second API process, the `npm run user` command) send a NOTIFY on commit,
 * which `listenForEndedSessions` turns into the same event.
 */
import { EventEmitter } from 'node:events'
import type { Sql } from '../db/connect.ts'

export const SESSION_CHANNEL = 'gridscope_sessions_ended'

const ended = new EventEmitter().setMaxListeners(0)

/** Calls `listener` whenever sessions may have ended; returns the unsubscribe function. */
export function onSessionsEnded(listener: () => void): () => void {
  ended.on('ended', listener)
  return () => ended.off('ended', listener)
}

/** Tells this process's listeners (sessions.ts calls it whenever it forgets remembered sessions). */
export function emitSessionsEnded(): void {
  ended.emit('ended')
}

/** Hears other processes' NOTIFYs (PostgreSQL only) and runs `onEnded` for each. */
export async function listenForEndedSessions(sql: Sql, onEnded: () => void): Promise<() => Promise<void>> {
  const { unlisten } = await sql.listen(SESSION_CHANNEL, onEnded)
  return unlisten
}
