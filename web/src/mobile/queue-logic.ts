/**
 * What the phone sends, kept until the server has it: a report (the case, then its merge into an
 * existing case when the worker said it is the same one, then each photo), an
 * action on a case (its photos, then the transition) or a patrol's start, positions and end (a
 * patrol started without network is named by its start's key until the server gives its id). Every
 * item carries an Idempotency-Key made when the worker pressed the button, and records each step
 * the server acknowledged, so a replay after a lost answer, a closed page or a killed server
 * repeats only what is not yet acknowledged, and the server's idempotency covers the step whose
 * answer was lost. This module is the logic alone (no IndexedDB, no fetch): a transport and a
 * save function are passed in, which the unit tests replace.
 */
import type { Outcome } from '../api/rpc.ts'

export interface QueuedPhoto {
  blob: Blob
  name: string
  /** The attachment id once the server acknowledged the upload. */
  sentId?: string | number
}

export interface ReportBody {
  category: string
  severity: number
  title: string
  description?: string
  source: 'patrol'
  occurredAt?: string
  location: { lon: number; lat: number }
  parties?: { name: string; phone?: string; idNumber?: string }[]
}

export interface PatrolPosition {
  t: string
  lon: number
  lat: number
  accuracy: number
}

interface ItemBase {
  id: string
  /** Idempotency-Key of the item; photo uploads use `${key}.p${index}`. */
  key: string
  createdAt: number
  attempts: number
  /** Epoch ms before which the item is not retried (backoff). */
  nextAttemptAt: number
  /** Why the last attempt failed (shown to the worker), or why the item was given up. */
  lastError?: string
  /** Refused for good (a 4xx other than a retryable one): kept so the worker sees it, not retried. */
  failed?: boolean
}

export type QueueItem =
  | (ItemBase & {
      kind: 'report'
      body: ReportBody
      photos: QueuedPhoto[]
      incidentId?: number
      /** "The same case": once stored, the report is merged into this case (with the note), which takes the photos. */
      mergeInto?: { id: number; note: string }
      /** The merge was acknowledged (or found done already). */
      merged?: boolean
    })
  | (ItemBase & { kind: 'action'; incidentId: number; action: 'start' | 'finish'; note?: string; photos: QueuedPhoto[]; transitioned?: boolean })
  | (ItemBase & { kind: 'patrol-start'; startedAt: string })
  | (ItemBase & PatrolRef & { kind: 'positions'; positions: PatrolPosition[] })
  | (ItemBase & PatrolRef & { kind: 'patrol-end'; endedAt: string })

/** How an item names its patrol when it was started offline: the start's key and time. */
export interface PatrolStart {
  key: string
  startedAt: string
}

/**
 * The patrol of a positions or end item: the server's id when the start was acknowledged before
 * the item was made, else the start itself, resolved (and saved on the item) when it is sent.
 */
export interface PatrolRef {
  patrolId?: number | string
  start?: PatrolStart
}

export type { Outcome }

export interface QueueTransport {
  createIncident(body: ReportBody, key: string): Promise<Outcome<{ id: number }>>
  uploadPhoto(incidentId: number, photo: QueuedPhoto, key: string): Promise<Outcome<{ id: string | number }>>
  transition(incidentId: number, action: 'start' | 'finish', note: string | undefined, key: string): Promise<Outcome>
  /** Merges a case into another (the case's timeline goes with it). */
  merge(incidentId: number, into: number, note: string): Promise<Outcome>
  /** Idempotent per key: a patrol started offline is started with the same key by each item that needs its id. */
  startPatrol(startedAt: string, key: string): Promise<Outcome<{ id: number | string }>>
  sendPositions(patrolId: number | string, positions: PatrolPosition[]): Promise<Outcome>
  endPatrol(patrolId: number | string, endedAt: string): Promise<Outcome>
}

export type StepResult = 'done' | 'retry' | 'failed'

const BACKOFF_BASE_MS = 2_000
const BACKOFF_MAX_MS = 5 * 60_000

/** Exponential backoff with full jitter: 2 s, 4 s, 8 s … at most 5 minutes, times a random 0.5–1. */
export function computeBackoffMs(attempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1))
  return Math.round(ceiling * (0.5 + random() / 2))
}

/**
 * Whether a failed request is worth repeating: no answer, a timeout, too many requests, a server
 * error, 401 (signed out: sent after the next sign-in) and 409 on a report (the server could not
 * store it just now). Anything else (400, 403, 404, 413, 415, 422) would be refused again.
 */
export function isRetryable(outcome: { status?: number }, kind: QueueItem['kind']): boolean {
  const { status } = outcome
  if (status === undefined) return true
  if (status === 401 || status === 408 || status === 429 || status >= 500) return true
  return status === 409 && kind === 'report'
}

/**
 * Runs one item as far as it goes. Each acknowledged step is saved before the next begins, so the
 * item on disk always says what the server already has.
 */
export async function processItem(
  item: QueueItem,
  transport: QueueTransport,
  save: (item: QueueItem) => Promise<void>,
): Promise<{ result: StepResult; outcome?: Outcome }> {
  const fail = async (outcome: Outcome & { ok: false }) => {
    item.lastError = outcome.status ? `${outcome.status} ${outcome.detail}` : outcome.detail
    if (!isRetryable(outcome, item.kind)) {
      item.failed = true
      await save(item)
      return { result: 'failed' as const, outcome }
    }
    return { result: 'retry' as const, outcome }
  }

  if (item.kind === 'report') {
    if (item.incidentId === undefined) {
      const created = await transport.createIncident(item.body, item.key)
      if (!created.ok) return fail(created)
      item.incidentId = created.value.id
      await save(item)
    }
    if (item.mergeInto && !item.merged) {
      const merged = await transport.merge(item.incidentId, item.mergeInto.id, item.mergeInto.note)
      // 409: the report is no longer open: this merge (its answer lost) already closed it into the case.
      if (!merged.ok && merged.status !== 409) return fail(merged)
      item.merged = true
      await save(item)
    }
    const photosDone = await sendPhotos(item, item.mergeInto?.id ?? item.incidentId, transport, save)
    return photosDone === true ? { result: 'done' } : fail(photosDone)
  }
  if (item.kind === 'action') {
    const photosDone = await sendPhotos(item, item.incidentId, transport, save)
    if (photosDone !== true) return fail(photosDone)
    if (!item.transitioned) {
      const moved = await transport.transition(item.incidentId, item.action, item.note, item.key)
      // 409: the case is no longer where the action applies: this action (its answer lost) or
      // someone else's moved it first. Either way repeating it cannot succeed: settled.
      if (!moved.ok && moved.status !== 409) return fail(moved)
      item.transitioned = true
      if (!moved.ok) item.lastError = `409 ${moved.detail}`
    }
    return { result: 'done' }
  }
  if (item.kind === 'patrol-start') {
    const started = await transport.startPatrol(item.startedAt, item.key)
    return started.ok ? { result: 'done' } : fail(started)
  }
  if (item.patrolId === undefined) {
    if (!item.start) return fail({ ok: false, status: 400, detail: 'The patrol of these positions is unknown.' })
    const started = await transport.startPatrol(item.start.startedAt, item.start.key)
    if (!started.ok) return fail(started)
    item.patrolId = started.value.id
    await save(item)
  }
  const sent = item.kind === 'positions' ? await transport.sendPositions(item.patrolId, item.positions) : await transport.endPatrol(item.patrolId, item.endedAt)
  // Ending a patrol that has already ended (the first answer lost) is a 409: already done.
  if (!sent.ok && !(item.kind === 'patrol-end' && sent.status === 409)) return fail(sent)
  return { result: 'done' }
}

async function sendPhotos(
  item: QueueItem & { photos: QueuedPhoto[] },
  incidentId: number,
  transport: QueueTransport,
  save: (item: QueueItem) => Promise<void>,
): Promise<true | (Outcome & { ok: false })> {
  for (const [index, photo] of item.photos.entries()) {
    if (photo.sentId !== undefined) continue
    const uploaded = await transport.uploadPhoto(incidentId, photo, `${item.key}.p${index}`)
    if (!uploaded.ok) return uploaded
    photo.sentId = uploaded.value.id
    await save(item)
  }
  return true
}

/** Items due now, oldest first; items given up are left for the worker to see. */
export function selectDue(items: readonly QueueItem[], now: number): QueueItem[] {
  return items.filter((item) => !item.failed && item.nextAttemptAt <= now).sort((a, b) => a.createdAt - b.createdAt)
}

export interface DrainStore {
  list(): Promise<QueueItem[]>
  put(item: QueueItem): Promise<void>
  remove(id: string): Promise<void>
}

export interface DrainReport {
  sent: number
  failed: number
  /** Items left to retry, and the earliest time one is due. */
  waiting: number
  nextAttemptAt: number | null
}

/**
 * One pass over the queue. A request that got no answer at all ends the pass (the network or the
 * server is gone: the rest would fail the same way); the item waits out its backoff.
 */
export async function drainQueue(
  store: DrainStore,
  transport: QueueTransport,
  now: () => number = Date.now,
  random: () => number = Math.random,
): Promise<DrainReport> {
  let sent = 0
  let failed = 0
  for (const item of selectDue(await store.list(), now())) {
    const { result, outcome } = await processItem(item, transport, (next) => store.put(next))
    if (result === 'done') {
      await store.remove(item.id)
      sent++
      continue
    }
    if (result === 'failed') {
      failed++
      continue
    }
    item.attempts++
    item.nextAttemptAt = now() + computeBackoffMs(item.attempts, random)
    await store.put(item)
    if (outcome && !outcome.ok && outcome.status === undefined) break
  }
  const left = (await store.list()).filter((item) => !item.failed)
  const next = left.length ? Math.min(...left.map((item) => item.nextAttemptAt)) : null
  return { sent, failed, waiting: left.length, nextAttemptAt: next }
}

/** An Idempotency-Key: 32 hex digits from the platform's random source (no secure context needed). */
export function createIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}
