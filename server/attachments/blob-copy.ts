/**
 * A photo's bytes into attachment_blob as they are. postgres.js binds every parameter as text, so
 * a bytea parameter travels as hex: twice the photo's size, encoded by Node and decoded again by
 * the server (about 15 ms of the API's CPU for a 1.7 MB photo, measured). COPY in binary format
 * sends the bytes unchanged. PGlite cannot take COPY FROM STDIN (its engine exits), so the
 * embedded database keeps the parameter. Which one is asked of the server itself: a process given a
 * URL may be talking to the embedded database through its socket.
 */
import type { Sql, TransactionSql } from 'postgres'
import type { StoredImage } from './image.ts'

export type BlobTransfer = 'copy' | 'parameter'

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1')

/** 'parameter' on the embedded database (PGlite names itself in version()), 'copy' on PostgreSQL. */
export async function blobTransferFor(sql: Sql<{}>): Promise<BlobTransfer> {
  const [row] = await sql<{ embedded: boolean }[]>`select strpos(version(), 'PGlite') > 0 as embedded`
  return row?.embedded ? 'parameter' : 'copy'
}

/** One row of PostgreSQL's binary COPY format: header, the fields (bytea/text raw, int4 big-endian), trailer. */
export function encodeBinaryCopyRow(fields: readonly (Buffer | number)[]): Buffer {
  const parts: Buffer[] = [SIGNATURE, Buffer.alloc(8)] // flags and header extension length: 0
  const count = Buffer.alloc(2)
  count.writeInt16BE(fields.length)
  parts.push(count)
  for (const field of fields) {
    const value = typeof field === 'number' ? int4(field) : field
    const length = Buffer.alloc(4)
    length.writeInt32BE(value.length)
    parts.push(length, value)
  }
  parts.push(Buffer.from([0xff, 0xff]))
  return Buffer.concat(parts)
}

function int4(value: number): Buffer {
  const out = Buffer.alloc(4)
  out.writeInt32BE(value)
  return out
}

/** Stores the blob unless a blob with the same SHA-256 is there already (inside the caller's transaction). */
export async function insertBlob(tx: TransactionSql<{}>, sha: Buffer, image: StoredImage, transfer: BlobTransfer): Promise<void> {
  if (transfer === 'parameter') {
    await tx`
      insert into attachment_blob (sha256, media_type, bytes, size, width, height, thumb, thumb_width, thumb_height)
      values (${sha}, ${image.mediaType}, ${image.bytes}, ${image.bytes.length}, ${image.width}, ${image.height}, ${image.thumb}, ${image.thumbWidth}, ${image.thumbHeight})
      on conflict (sha256) do nothing`
    return
  }
  // Two uploads of the same new photo at once: the second waits here until the first commits, then
  // finds the blob. Without the lock both would COPY, and the loser's unique violation inside COPY
  // left its stream waiting for ever (seen in a test), holding the transaction.
  await tx`select pg_advisory_xact_lock(hashtextextended(encode(${sha}::bytea, 'hex'), 0))`
  const [present] = await tx`select 1 from attachment_blob where sha256 = ${sha}`
  if (present) return
  const row = encodeBinaryCopyRow([
    sha,
    Buffer.from(image.mediaType),
    image.bytes,
    image.bytes.length,
    image.width,
    image.height,
    image.thumb,
    image.thumbWidth,
    image.thumbHeight,
  ])
  try {
    // A savepoint: the same photo stored by a concurrent upload a moment ago is a unique violation
    // here, which must not end the caller's transaction.
    await tx.savepoint(async (sp) => {
      const stream =
        await sp`copy attachment_blob (sha256, media_type, bytes, size, width, height, thumb, thumb_width, thumb_height) from stdin with (format binary)`.writable()
      await new Promise<void>((resolve, reject) => {
        stream.on('error', reject)
        stream.on('finish', resolve)
        stream.end(row)
      })
    })
  } catch (error) {
    if ((error as { code?: string }).code !== '23505') throw error
  }
}
