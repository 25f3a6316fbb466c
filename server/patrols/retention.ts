/**
 * Tracks are personal data kept for PATROL_RETENTION_DAYS (180 by default): a job deletes every
 * patrol that ended (or, never ended, started) longer ago, with its positions, and logs what it
 * removed (counts and the time span, no names). It runs at start-up and then every six hours;
 * several API processes may run it at once (a deleted row is simply not found by the others).
 */
import type { Sql } from '../db/connect.ts'
import { log } from '../log.ts'

const EVERY_MS = 6 * 3_600_000

export interface Purged {
  patrols: number
  positions: number
  oldest: Date | null
  newest: Date | null
}

export async function purgeOldPatrols(sql: Sql, days: number): Promise<Purged> {
  const [row] = await sql<Purged[]>`
    with old as (
      select id, started_at from patrol where coalesce(ended_at, started_at) < now() - make_interval(days => ${days}::int)
      for update skip locked),
    positions as (delete from patrol_position where patrol_id in (select id from old) returning 1),
    gone as (delete from patrol where id in (select id from old) returning id)
    select (select count(*)::int from gone) as patrols, (select count(*)::int from positions) as positions,
           (select min(started_at) from old) as oldest, (select max(started_at) from old) as newest`
  const purged = row!
  log.info(
    { retentionDays: days, patrols: purged.patrols, positions: purged.positions, oldest: purged.oldest, newest: purged.newest },
    'patrol retention: old tracks deleted',
  )
  return purged
}

/** Runs the purge now and every six hours; returns the function that stops it. */
export function startPatrolRetention(sql: Sql, days: number): () => void {
  const run = () => purgeOldPatrols(sql, days).catch((error) => log.warn({ err: error }, 'patrol retention failed'))
  void run()
  const timer = setInterval(run, EVERY_MS).unref()
  return () => clearInterval(timer)
}
