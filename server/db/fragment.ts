/**
 * Types for SQL fragments: pieces of a postgres.js tagged template that a query splices in
 * (`sql\`… where ${fragment}\``), each value still a bound parameter.
 */
import type postgres from 'postgres'
import type { Sql } from './connect.ts'

/** A client or an open transaction: fragments and reads work on both. */
export type SqlOrTx = Sql | postgres.TransactionSql<{}>

export type Fragment = postgres.PendingQuery<postgres.Row[]>
