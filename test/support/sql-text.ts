/**
 * SQL as postgres.js would send it, without a database: the statement text with $1, $2 …
 * placeholders and the values bound to them, rendered by postgres.js's own `stringify` (the
 * function its connection runs before a query goes on the wire), so a snapshot shows exactly
 * the SQL a builder produces. postgres.js does not export it; it is loaded from the package's
 * ESM source beside its entry point, the same module instance `sql` itself uses.
 * The client below never connects: fragments and unexecuted queries need no connection.
 */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import postgres from 'postgres'
import type { Sql } from '../../server/db/connect.ts'
import { INT8_AS_NUMBER } from '../../server/db/connect.ts'

type Stringify = (q: unknown, string: string, value: unknown, parameters: unknown[], types: unknown[], options: unknown) => string

// cjs/src/index.js → the ESM source is src/ at the package root.
const typesModule = join(dirname(createRequire(import.meta.url).resolve('postgres')), '..', '..', 'src', 'types.js')
const { stringify } = (await import(pathToFileURL(typesModule).href)) as { stringify: Stringify }

/** A client with the server's options whose queries are only ever rendered, never run. */
export const offlineSql: Sql = postgres('postgres://render-only@127.0.0.1:1/none', { max: 1, types: { bigint: INT8_AS_NUMBER } })

export interface RenderedSql {
  text: string
  params: unknown[]
}

/** The text (each line trimmed, blank lines dropped) and the bound values of a query or fragment. */
export function renderSql<T extends readonly (object | undefined)[]>(query: postgres.PendingQuery<T>): RenderedSql {
  const q = query as unknown as { strings: string[]; args: unknown[] }
  const params: unknown[] = []
  const text = stringify(q, q.strings[0]!, q.args[0], params, [], offlineSql.options)
  return {
    text: text
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .join('\n'),
    params: params.map(plainValue),
  }
}

/** postgres.js wraps sql.json() values in a Parameter: show the value itself. */
function plainValue(value: unknown): unknown {
  return value && typeof value === 'object' && 'value' in value && 'type' in value ? (value as { value: unknown }).value : value
}

/**
 * A query as a reviewer reads it in a snapshot: the SQL text, then one `-- $n = value` line per
 * bound parameter (JSON).
 */
export function sqlSnapshot<T extends readonly (object | undefined)[]>(query: postgres.PendingQuery<T>): string {
  const { text, params } = renderSql(query)
  return [text, ...params.map((value, k) => `-- $${k + 1} = ${JSON.stringify(value)}`)].join('\n')
}
