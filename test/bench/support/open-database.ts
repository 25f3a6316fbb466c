/**
 * Baseline for start-up benchmarks: a process that only opens the database the server would
 * open (PGlite on the same folder, or a postgres.js connection to DATABASE_URL), runs one query
 * and exits. Server start-up time ÷ this time is what Gridscope adds on top.
 */
import postgres from 'postgres'

if (process.env.DATABASE_URL) {
  const sql = postgres(process.env.DATABASE_URL, { max: 1, onnotice: () => {} })
  await sql`select postgis_lib_version()`
  await sql.end()
} else {
  const { PGlite } = await import('@electric-sql/pglite')
  const { postgis } = await import('@electric-sql/pglite-postgis')
  const db = await PGlite.create({ dataDir: process.env.DATA_DIR!, extensions: { postgis } })
  await db.query('select postgis_lib_version()')
  await db.close()
}
