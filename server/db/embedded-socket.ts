/**
 * The embedded database's wire-protocol socket: serves one PGlite session to postgres.js on a
 * loopback port, in place of @electric-sql/pglite-socket's server (0.2.11), whose handling broke
 * the connection after one failed statement:
 *
 * - PGlite answers an error in an extended-query message (Parse, Bind, Execute…) with
 *   ErrorResponse *and* ReadyForQuery at once; the client's Sync then brings a second
 *   ReadyForQuery, which the client takes as the end of its next statement (that one came back
 *   empty, later ones got other statements' rows: the connection was desynchronised for good).
 *   PostgreSQL sends ReadyForQuery only in answer to Sync or a simple Query, so here every other
 *   message's ReadyForQuery is dropped.
 * - A message whose execution threw left pglite-socket's queue marked busy for ever, so every later
 *   statement waited (the API hung, shutdown too). Here the queue always moves on, and a
 *   connection whose statement broke the engine is closed.
 * - Messages of concurrent connections were interleaved one by one, so one connection's Bind could
 *   land between another's Parse and Execute. Here a connection keeps the session from its first
 *   message to its Sync (and to the end of its transaction); a connection that goes away while
 *   holding it is synced and rolled back first.
 *
 * One message is executed at a time, as pglite-socket did, so the answer to each is known.
 */
import { createServer, type Server, type Socket } from 'node:net'
import type { PGlite } from '@electric-sql/pglite'
import { log } from '../log.ts'

const SSL_REQUEST = 80877103
const GSSENC_REQUEST = 80877104
const CANCEL_REQUEST = 80877102
const PROTOCOL_3 = 196608
const READY_FOR_QUERY = 0x5a // Z
/** Messages PostgreSQL answers with ReadyForQuery: startup, Query, Sync, CopyDone, CopyFail. */
const ENDS_CYCLE = new Set([0, 0x51, 0x53, 0x63, 0x66])
const SYNC = Uint8Array.of(0x53, 0, 0, 0, 4)
const ROLLBACK = queryMessage('rollback')
/** A client message larger than this is refused (PostgreSQL's own limit is 1 GB; a photo upload is about 2 × its 10 MB). */
const MAX_MESSAGE = 64 * 2 ** 20

interface Connection {
  socket: Socket
  buffer: Buffer
  /** Chunks of a message larger than `buffer` still arriving, kept apart until it is complete. */
  pending: Buffer[]
  pendingBytes: number
  started: boolean
  closed: boolean
}

interface Job {
  conn: Connection
  message: Uint8Array
}

export class EmbeddedSocketServer {
  private readonly queue: Job[] = []
  private running = false
  /** The connection in the middle of a query cycle or a transaction: only its messages run. */
  private owner: Connection | null = null
  private readonly connections = new Set<Connection>()
  private server: Server | null = null

  constructor(private readonly db: PGlite) {}

  /** Listens on host:port (0: a free port); resolves to "host:port". */
  async listen(host: string, port: number): Promise<string> {
    const server = createServer((socket) => this.accept(socket))
    this.server = server
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen(port, host, () => resolve())
    })
    const address = server.address()
    if (!address || typeof address !== 'object') throw new Error('embedded socket has no address')
    return `${host}:${address.port}`
  }

  async close(): Promise<void> {
    for (const conn of this.connections) conn.socket.destroy()
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
    this.server = null
  }

  private accept(socket: Socket): void {
    socket.setNoDelay(true)
    const conn: Connection = { socket, buffer: Buffer.alloc(0), pending: [], pendingBytes: 0, started: false, closed: false }
    this.connections.add(conn)
    socket.on('data', (data) => this.receive(conn, data))
    socket.on('error', () => socket.destroy())
    socket.on('close', () => this.release(conn))
  }

  private receive(conn: Connection, data: Buffer): void {
    if (!this.gather(conn, data)) return
    for (;;) {
      const message = this.nextMessage(conn)
      if (message === undefined) break
      if (message === null) continue
      this.queue.push({ conn, message })
    }
    this.pump()
  }

  /**
   * Adds `data` to what the connection sent; false while a large message is still incomplete. A
   * photo upload arrives as one Bind of megabytes in 64 KiB reads: joining each read to the buffer
   * copied the message again every time (quadratic: 3.4 MB copied 55 times); the reads are kept
   * in a list and joined once, when the message's length is reached.
   */
  private gather(conn: Connection, data: Buffer): boolean {
    if (conn.pending.length) {
      conn.pending.push(data)
      conn.pendingBytes += data.length
      if (conn.pendingBytes < expectedLength(conn.pending[0]!, conn.started)) return false
      conn.buffer = Buffer.concat(conn.pending, conn.pendingBytes)
      conn.pending = []
      conn.pendingBytes = 0
      return true
    }
    conn.buffer = conn.buffer.length ? Buffer.concat([conn.buffer, data]) : data
    if (conn.buffer.length < expectedLength(conn.buffer, conn.started)) {
      conn.pending = [conn.buffer]
      conn.pendingBytes = conn.buffer.length
      conn.buffer = Buffer.alloc(0)
      return false
    }
    return true
  }

  /** The next complete message to execute; null for one handled here; undefined when incomplete. */
  private nextMessage(conn: Connection): Uint8Array | null | undefined {
    const buf = conn.buffer
    if (!conn.started) {
      if (buf.length < 8) return undefined
      const length = buf.readInt32BE(0)
      const code = buf.readInt32BE(4)
      if (length < 8 || length > 10_000) return this.refuse(conn)
      if (buf.length < length) return undefined
      conn.buffer = buf.subarray(length)
      if (code === SSL_REQUEST || code === GSSENC_REQUEST) {
        conn.socket.write('N') // no encryption on loopback
        return null
      }
      if (code === CANCEL_REQUEST) {
        // Nothing to signal: PGlite runs one statement at a time and cannot interrupt it.
        conn.socket.end()
        return null
      }
      if (code !== PROTOCOL_3) return this.refuse(conn)
      conn.started = true
      return new Uint8Array(buf.subarray(0, length))
    }
    if (buf.length < 5) return undefined
    const length = 1 + buf.readInt32BE(1)
    if (length < 5 || length > MAX_MESSAGE) return this.refuse(conn)
    if (buf.length < length) return undefined
    conn.buffer = buf.subarray(length)
    if (buf[0] === 0x58) {
      // Terminate: the connection ends; release() tidies the session.
      conn.socket.end()
      return null
    }
    return new Uint8Array(buf.subarray(0, length))
  }

  private refuse(conn: Connection): undefined {
    conn.buffer = Buffer.alloc(0)
    conn.socket.destroy()
    return undefined
  }

  private pump(): void {
    if (this.running) return
    this.running = true
    void (async () => {
      try {
        for (;;) {
          const index = this.owner ? this.queue.findIndex((job) => job.conn === this.owner) : 0
          if (index < 0 || this.queue.length === 0) break
          const [job] = this.queue.splice(index, 1)
          if (job!.conn.closed) continue
          await this.execute(job!)
        }
      } finally {
        this.running = false
      }
    })()
  }

  private async execute({ conn, message }: Job): Promise<void> {
    if (conn === TIDY) {
      await this.tidy()
      this.owner = null
      return
    }
    const chunks: Uint8Array[] = []
    try {
      await this.run(message, chunks)
    } catch (error) {
      log.error({ err: error }, 'embedded database: a statement broke the session; closing its connection')
      chunks.length = 0
      conn.socket.destroy()
      await this.tidy()
      this.owner = null
      return
    }
    let answer: Buffer<ArrayBufferLike> = Buffer.concat(chunks)
    if (!ENDS_CYCLE.has(message[0]!)) answer = withoutReadyForQuery(answer)
    if (answer.length && !conn.closed) conn.socket.write(answer)
    // The session stays with this connection until its Sync, and to the end of its transaction;
    // if the connection went away meanwhile, the session is tidied before anyone else's turn.
    const keeps = !(ENDS_CYCLE.has(message[0]!) && !this.db.isInTransaction())
    if (keeps && conn.closed) this.queueTidy()
    else this.owner = keeps ? conn : null
  }

  private async run(message: Uint8Array, chunks: Uint8Array[]): Promise<void> {
    await this.db.runExclusive(() => this.db.execProtocolRawStream(message, { onRawData: (data: Uint8Array) => void chunks.push(Uint8Array.from(data)) }))
  }

  /** Ends whatever a vanished connection left: a half-sent query cycle and an open transaction. */
  private async tidy(): Promise<void> {
    try {
      await this.run(SYNC, [])
      if (this.db.isInTransaction()) await this.run(ROLLBACK, [])
    } catch (error) {
      log.error({ err: error }, 'embedded database: could not tidy the session after a connection ended')
    }
  }

  private release(conn: Connection): void {
    if (conn.closed) return
    conn.closed = true
    this.connections.delete(conn)
    if (this.owner === conn) this.queueTidy()
  }

  /** Queued behind the statement already running, ahead of everyone else's. */
  private queueTidy(): void {
    this.queue.unshift({ conn: TIDY, message: SYNC })
    this.owner = TIDY
    this.pump()
  }
}

/** A stand-in connection that runs the tidy-up after a connection holding the session went away. */
const TIDY: Connection = {
  socket: { write: () => true, destroy: () => {} } as unknown as Socket,
  buffer: Buffer.alloc(0),
  pending: [],
  pendingBytes: 0,
  started: true,
  closed: false,
}

/**
 * The length of the message `buf` starts with when its header is there (0 otherwise, or when it is
 * out of bounds: nextMessage refuses those), so that the reads of a large message are joined once.
 */
function expectedLength(buf: Buffer, started: boolean): number {
  const header = started ? 5 : 8
  if (buf.length < header) return 0
  const length = started ? 1 + buf.readInt32BE(1) : buf.readInt32BE(0)
  return length > 0 && length <= MAX_MESSAGE ? length : 0
}

/** The backend messages of `answer` without ReadyForQuery ones. */
export function withoutReadyForQuery(answer: Buffer): Buffer<ArrayBufferLike> {
  const kept: Buffer[] = []
  let at = 0
  while (at + 5 <= answer.length) {
    const end = Math.min(answer.length, at + 1 + answer.readInt32BE(at + 1))
    if (answer[at] !== READY_FOR_QUERY) kept.push(answer.subarray(at, end))
    at = end
  }
  if (at < answer.length) kept.push(answer.subarray(at))
  return kept.length === 1 ? kept[0]! : Buffer.concat(kept)
}

function queryMessage(text: string): Uint8Array {
  const body = Buffer.from(text + '\0')
  const message = Buffer.alloc(5 + body.length)
  message[0] = 0x51
  message.writeInt32BE(4 + body.length, 1)
  body.copy(message, 5)
  return message
}
