/**
 * The send queue on disk: one IndexedDB object store (idb) holding each queued item with its
 * photos as Blobs, so reports made offline survive a closed page, a restarted phone and a full
 * day without network. Items are written whole after every acknowledged step (queue-logic.ts).
 */
import { openDB, type IDBPDatabase } from 'idb'
import type { DrainStore, QueueItem } from './queue-logic.ts'

const DB_NAME = 'gridscope-field'
const STORE = 'queue'

let opened: Promise<IDBPDatabase> | null = null

function openQueueDb(): Promise<IDBPDatabase> {
  opened ??= openDB(DB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore(STORE, { keyPath: 'id' })
    },
  })
  return opened
}

export const queueStore: DrainStore = {
  async list() {
    return (await (await openQueueDb()).getAll(STORE)) as QueueItem[]
  },
  async put(item) {
    await (await openQueueDb()).put(STORE, item)
  },
  async remove(id) {
    await (await openQueueDb()).delete(STORE, id)
  },
}
