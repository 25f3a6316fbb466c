import { describe, expect, it } from 'vitest'
import {
  computeBackoffMs,
  createIdempotencyKey,
  drainQueue,
  isRetryable,
  selectDue,
  type DrainStore,
  type Outcome,
  type QueueItem,
  type QueueTransport,
  type ReportBody,
} from './queue-logic.ts'

/**
 * A server that behaves like the real one where it matters: reports and photos are idempotent by
 * key. `mode` says what the next request meets: a normal answer, no network (nothing reaches the
 * server), a lost answer (the server did the work, the phone never heard), or a refusal.
 */
function createFakeServer() {
  const incidents = new Map<string, number>()
  const photos = new Map<string, { incidentId: number; bytes: number }>()
  const transitions: string[] = []
  /** Merged cases: id → the case it was merged into. */
  const merges = new Map<number, number>()
  const positions: number[] = []
  const patrols = new Map<string, number>()
  /** Positions by patrol id, and the ids of ended patrols. */
  const patrolPositions = new Map<number | string, number>()
  const ended: (number | string)[] = []
  let nextId = 100
  let mode: 'ok' | 'offline' | 'lost' | 415 = 'ok'
  let onlyNext = false
  const answer = <T>(value: T, work: () => void): Outcome<T> => {
    const current = mode
    if (onlyNext) {
      mode = 'ok'
      onlyNext = false
    }
    if (current === 'offline') return { ok: false, detail: 'Failed to fetch' }
    if (current === 415) return { ok: false, status: 415, detail: 'Unsupported media type' }
    work()
    return current === 'lost' ? { ok: false, detail: 'connection reset' } : { ok: true, value }
  }
  const transport: QueueTransport = {
    async createIncident(_body, key) {
      const id = incidents.get(key) ?? nextId
      return answer({ id }, () => {
        if (!incidents.has(key)) incidents.set(key, nextId++)
      })
    },
    async uploadPhoto(incidentId, photo, key) {
      return answer({ id: key }, () => {
        photos.set(key, { incidentId, bytes: photo.blob.size })
      })
    },
    async transition(incidentId, action) {
      if (transitions.includes(`${incidentId}:${action}`)) return { ok: false, status: 409, detail: 'Not allowed now' }
      return answer(null, () => {
        transitions.push(`${incidentId}:${action}`)
      })
    },
    async merge(incidentId, into) {
      // Merging a case already merged: it is no longer open (409), as on the server.
      if (merges.has(incidentId)) return { ok: false, status: 409, detail: 'Case already finished' }
      return answer(null, () => {
        merges.set(incidentId, into)
      })
    },
    async startPatrol(_startedAt, key) {
      const id = patrols.get(key) ?? nextId
      return answer({ id }, () => {
        if (!patrols.has(key)) patrols.set(key, nextId++)
      })
    },
    async sendPositions(id, batch) {
      return answer(null, () => {
        positions.push(...batch.map((p) => Date.parse(p.t)))
        patrolPositions.set(id, (patrolPositions.get(id) ?? 0) + batch.length)
      })
    },
    async endPatrol(id) {
      return answer(null, () => {
        ended.push(id)
      })
    },
  }
  return {
    transport,
    patrols,
    patrolPositions,
    ended,
    incidents,
    photos,
    transitions,
    merges,
    positions,
    set(next: typeof mode, once = false) {
      mode = next
      onlyNext = once
    },
  }
}

function createMemoryStore(items: QueueItem[] = []): DrainStore & { items: Map<string, QueueItem> } {
  const map = new Map(items.map((item) => [item.id, item]))
  return {
    items: map,
    async list() {
      return [...map.values()].map((item) => structuredClone(item))
    },
    async put(item) {
      map.set(item.id, structuredClone(item))
    },
    async remove(id) {
      map.delete(id)
    },
  }
}

const BODY: ReportBody = { category: 'dispute.neighbour', severity: 2, title: '邻里噪音', source: 'patrol', location: { lon: 111.0, lat: 21.5 } }
const photo = (n: number) => ({ blob: new Blob([new Uint8Array(n)]), name: `p${n}.jpg` })
function report(id: string, createdAt: number, photoCount = 2): QueueItem {
  return {
    id,
    key: `key-${id}-0000`,
    kind: 'report',
    createdAt,
    attempts: 0,
    nextAttemptAt: 0,
    body: BODY,
    photos: Array.from({ length: photoCount }, (_, i) => photo(10 + i)),
  }
}

describe('the send queue', () => {
  it('sends a report and its photos, then forgets it', async () => {
    const server = createFakeServer()
    const store = createMemoryStore([report('a', 1)])
    const result = await drainQueue(store, server.transport, () => 1000)
    expect(result).toEqual({ sent: 1, failed: 0, waiting: 0, nextAttemptAt: null })
    expect(server.incidents.size).toBe(1)
    expect(server.photos.size).toBe(2)
    expect(store.items.size).toBe(0)
  })

  it('keeps everything while offline and stops the pass at the first unanswered request', async () => {
    const server = createFakeServer()
    server.set('offline')
    const store = createMemoryStore([report('a', 1), report('b', 2)])
    const result = await drainQueue(
      store,
      server.transport,
      () => 1000,
      () => 1,
    )
    expect(result.sent).toBe(0)
    expect(result.waiting).toBe(2)
    expect(store.items.get('a')!.attempts).toBe(1)
    expect(store.items.get('a')!.nextAttemptAt).toBe(1000 + 2000)
    // The second item was not tried: the network was known to be gone.
    expect(store.items.get('b')!.attempts).toBe(0)
    expect(server.incidents.size).toBe(0)
  })

  it('never duplicates a case or a photo when answers are lost mid-way', async () => {
    const server = createFakeServer()
    const store = createMemoryStore([report('a', 1, 3)])
    let now = 0
    // The case is created but its answer lost; then the first photo's answer is lost.
    server.set('lost', true)
    await drainQueue(store, server.transport, () => now)
    expect(server.incidents.size).toBe(1)
    expect(store.items.get('a')).toMatchObject({ kind: 'report', attempts: 1 })
    expect(store.items.get('a')).not.toHaveProperty('incidentId')
    now = 10 * 60_000
    await drainQueue(store, server.transport, () => now)
    expect(store.items.size).toBe(0)
    expect(server.incidents.size).toBe(1)
    expect(server.photos.size).toBe(3)
    expect(new Set([...server.photos.values()].map((p) => p.incidentId))).toEqual(new Set([100]))
  })

  it('adds a report to the same case: stored, merged into it once (an answer lost on the way), its photos on that case', async () => {
    const server = createFakeServer()
    const item = { ...report('m', 1, 2), mergeInto: { id: 7, note: '同一事件' } } as QueueItem
    const store = createMemoryStore([item])
    server.set('offline')
    await drainQueue(store, server.transport, () => 0)
    expect(server.incidents.size).toBe(0)
    // Back online: the report is stored, then the merge's answer is lost.
    server.set('ok')
    const created = server.transport.createIncident
    server.transport.createIncident = async (body, key) => {
      const outcome = await created(body, key)
      server.set('lost', true)
      return outcome
    }
    await drainQueue(store, server.transport, () => 60_000)
    expect(server.merges).toEqual(new Map([[100, 7]]))
    expect(store.items.get('m')).toMatchObject({ incidentId: 100 })
    expect(store.items.get('m')).not.toHaveProperty('merged')
    await drainQueue(store, server.transport, () => 10 * 60_000)
    expect(store.items.size).toBe(0)
    expect(server.incidents.size).toBe(1)
    expect(server.merges.size).toBe(1)
    expect(new Set([...server.photos.values()].map((p) => p.incidentId))).toEqual(new Set([7]))
  })

  it('resumes after the acknowledged steps: a photo already sent is not uploaded again', async () => {
    const server = createFakeServer()
    const item = report('a', 1, 2)
    const store = createMemoryStore([item])
    const uploads: string[] = []
    const upload = server.transport.uploadPhoto
    server.transport.uploadPhoto = async (id, p, key) => {
      uploads.push(key)
      // The network drops right after the first photo went through.
      if (uploads.length === 2) server.set('offline', true)
      return upload(id, p, key)
    }
    await drainQueue(store, server.transport, () => 0)
    const saved = store.items.get('a')!
    expect(saved.kind === 'report' && saved.photos.map((p) => p.sentId !== undefined)).toEqual([true, false])
    await drainQueue(store, server.transport, () => 60 * 60_000)
    expect(uploads).toEqual(['key-a-0000.p0', 'key-a-0000.p1', 'key-a-0000.p1'])
    expect(server.photos.size).toBe(2)
    expect(store.items.size).toBe(0)
  })

  it('gives up on a refusal that would repeat (415) and keeps the item to show', async () => {
    const server = createFakeServer()
    const store = createMemoryStore([report('a', 1, 1), report('b', 2, 0)])
    const upload = server.transport.uploadPhoto
    server.transport.uploadPhoto = async (id, p, key) => {
      server.set(415, true)
      return upload(id, p, key)
    }
    const result = await drainQueue(store, server.transport, () => 0)
    expect(result).toMatchObject({ sent: 1, failed: 1, waiting: 0 })
    expect(store.items.get('a')).toMatchObject({ failed: true, lastError: '415 Unsupported media type' })
    expect(selectDue([...store.items.values()], Number.MAX_SAFE_INTEGER)).toEqual([])
  })

  it('uploads a finishing photo before the transition and treats a repeated transition as settled', async () => {
    const server = createFakeServer()
    const action: QueueItem = {
      id: 'f',
      key: 'key-f-0000',
      kind: 'action',
      incidentId: 7,
      action: 'finish',
      note: '已处理',
      photos: [photo(5)],
      createdAt: 1,
      attempts: 0,
      nextAttemptAt: 0,
    }
    server.transitions.push('7:finish')
    const store = createMemoryStore([action])
    const result = await drainQueue(store, server.transport, () => 0)
    expect(result.sent).toBe(1)
    expect([...server.photos.values()]).toEqual([{ incidentId: 7, bytes: 5 }])
  })

  it('sends items in the order they were made', async () => {
    const store = createMemoryStore([report('late', 30, 0), report('early', 10, 0), report('mid', 20, 0)])
    expect(selectDue(await store.list(), 0).map((item) => item.id)).toEqual(['early', 'mid', 'late'])
  })

  it('sends a patrol started, recorded and ended offline as one patrol, even when the answer to its start was lost', async () => {
    const server = createFakeServer()
    const start = { key: 'patrol-key-0001', startedAt: '2026-12-01T08:00:00+08:00' }
    const base = { attempts: 0, nextAttemptAt: 0 }
    const at = (minute: number) => ({ t: `2026-12-01T08:${String(minute).padStart(2, '0')}:00+08:00`, lon: 111, lat: 21.5, accuracy: 10 })
    const store = createMemoryStore([
      { ...base, id: start.key, key: start.key, kind: 'patrol-start', startedAt: start.startedAt, createdAt: 1 },
      { ...base, id: 'b1', key: 'b1-key-00', kind: 'positions', start, positions: [at(1), at(2)], createdAt: 2 },
      { ...base, id: 'b2', key: 'b2-key-00', kind: 'positions', start, positions: [at(3)], createdAt: 3 },
      { ...base, id: 'end', key: 'end-key-0', kind: 'patrol-end', start, endedAt: '2026-12-01T08:05:00+08:00', createdAt: 4 },
    ])
    server.set('offline')
    await drainQueue(store, server.transport)
    expect(store.items.size).toBe(4)
    expect(server.patrols.size).toBe(0)
    // The server starts the patrol but its answer is lost: the item stays, and starting again later
    // with the same key is the same patrol, which the batches and the end then name by its id.
    server.set('lost', true)
    await drainQueue(store, server.transport)
    expect(server.patrols.size).toBe(1)
    expect(store.items.size).toBe(4)
    const last = await drainQueue(store, server.transport, () => Date.now() + 3_600_000)
    expect(last.waiting).toBe(0)
    expect(store.items.size).toBe(0)
    expect(server.patrols.size).toBe(1)
    const id = server.patrols.get(start.key)!
    expect(server.patrolPositions.get(id)).toBe(3)
    expect(server.ended).toEqual([id])
  })

  it('refuses for good a patrol item that names no patrol', async () => {
    const server = createFakeServer()
    const store = createMemoryStore([{ id: 'x', key: 'x-key-000', kind: 'positions', positions: [], createdAt: 1, attempts: 0, nextAttemptAt: 0 }])
    const result = await drainQueue(store, server.transport)
    expect(result.failed).toBe(1)
    expect(store.items.get('x')?.failed).toBe(true)
  })

  it('backs off exponentially with jitter, capped at five minutes', () => {
    expect(computeBackoffMs(1, () => 1)).toBe(2000)
    expect(computeBackoffMs(2, () => 1)).toBe(4000)
    expect(computeBackoffMs(4, () => 1)).toBe(16000)
    expect(computeBackoffMs(4, () => 0)).toBe(8000)
    expect(computeBackoffMs(30, () => 1)).toBe(300_000)
  })

  it('retries what may succeed later and nothing else', () => {
    expect(isRetryable({}, 'report')).toBe(true)
    expect(isRetryable({ status: 503 }, 'report')).toBe(true)
    expect(isRetryable({ status: 429 }, 'positions')).toBe(true)
    expect(isRetryable({ status: 401 }, 'action')).toBe(true)
    expect(isRetryable({ status: 409 }, 'report')).toBe(true)
    expect(isRetryable({ status: 409 }, 'positions')).toBe(false)
    expect(isRetryable({ status: 413 }, 'report')).toBe(false)
    expect(isRetryable({ status: 422 }, 'report')).toBe(false)
  })

  it('makes keys the API accepts (8 to 200 of letters, digits, . _ : -), each new', () => {
    const a = createIdempotencyKey()
    expect(a).toMatch(/^[0-9a-f]{32}$/)
    expect(`${a}.p8`).toMatch(/^[A-Za-z0-9._:-]{8,200}$/)
    expect(createIdempotencyKey()).not.toBe(a)
  })
})
