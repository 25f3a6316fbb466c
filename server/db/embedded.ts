/**
 * The embedded database: PGlite (Postgres compiled to WebAssembly) with PostGIS, exposed on a
 * loopback port through its own wire-protocol socket (embedded-socket.ts) so the rest of the server talks to it with the same
 * postgres.js client and the same SQL as to a real PostgreSQL.
 */
import { mkdir, access, constants } from 'node:fs/promises'
import { PGlite } from '@electric-sql/pglite'
import { postgis } from '@electric-sql/pglite-postgis'
import { StartupError } from '../config.ts'
import { EmbeddedSocketServer } from './embedded-socket.ts'

export interface EmbeddedDatabase {
  url: string
  stop(): Promise<void>
}

export async function startEmbeddedDatabase(dataDir: string, port = 0): Promise<EmbeddedDatabase> {
  await ensureWritableFolder(dataDir)
  let db: PGlite
  try {
    db = await PGlite.create({ dataDir, extensions: { postgis } })
  } catch (error) {
    throw new StartupError(
      `The embedded database in ${dataDir} could not be opened (${(error as Error).message}); ` +
        `move the folder away or set DATA_DIR to a new folder to start afresh.`,
    )
  }
  // PGlite serves one session; the socket (embedded-socket.ts) gives it to one connection at a
  // time, from a query's first message to its Sync and to the end of a transaction.
  const server = new EmbeddedSocketServer(db)
  let address: string
  try {
    address = await server.listen('127.0.0.1', port)
  } catch (error) {
    await db.close()
    throw new StartupError(
      `The embedded database could not listen on 127.0.0.1:${port} (${(error as Error).message}); set EMBEDDED_DB_PORT to a free port or 0.`,
    )
  }
  return {
    url: `postgres://postgres@${address}/postgres`,
    async stop() {
      await server.close()
      await db.close()
    },
  }
}

async function ensureWritableFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true })
    await access(dir, constants.R_OK | constants.W_OK | constants.X_OK)
  } catch (error) {
    throw new StartupError(
      `The data folder ${dir} cannot be read or written (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); ` +
        `fix its permissions or set DATA_DIR to a writable folder.`,
    )
  }
}
