/**
 * The evaluation weights are one setting for the whole database, and test files run in parallel on
 * PostgreSQL: a test that changes them holds this lock exclusively, one that compares scores across
 * requests holds it shared, so neither sees the other's weights. The embedded database runs files
 * one at a time (and has one connection), so there it is a plain call.
 */
import type { Database } from '../../server/db/connect.ts'

const KEY = 0x65_76_61_6c // "eval"

export async function withWeightsLock<T>(db: Database, mode: 'exclusive' | 'shared', fn: () => Promise<T>): Promise<T> {
  if (db.mode === 'embedded') return fn()
  const conn = await db.sql.reserve()
  try {
    if (mode === 'exclusive') await conn`select pg_advisory_lock(${KEY})`
    else await conn`select pg_advisory_lock_shared(${KEY})`
    try {
      return await fn()
    } finally {
      if (mode === 'exclusive') await conn`select pg_advisory_unlock(${KEY})`
      else await conn`select pg_advisory_unlock_shared(${KEY})`
    }
  } finally {
    conn.release()
  }
}
