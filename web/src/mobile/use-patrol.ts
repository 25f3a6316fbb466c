/**
 * A patrol (巡查) while it runs: started on the server (which gives its id) or, without network,
 * on the phone alone (its start waits in the send queue under an Idempotency-Key, and the
 * positions and end name it by that key until the server has given the id); remembered on the
 * phone so reopening the page carries on, fed by watchPosition, sampled every 20 s and sent in
 * batches through the send queue (patrol-sampler.ts). Ending sends what is left, then the end.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import { startPatrol } from './field-api.ts'
import { shouldFlush, shouldRecord, type Fix } from './patrol-sampler.ts'
import { createIdempotencyKey, isRetryable, type PatrolPosition, type PatrolRef, type QueueItem } from './queue-logic.ts'

export interface RunningPatrol {
  /** The server's id; null while a patrol started offline has not reached the server. */
  id: number | string | null
  /** The start's Idempotency-Key: names the patrol in queued items until the id is known. */
  startKey: string
  startedAt: number
  recorded: number
}

export interface Patrol {
  running: RunningPatrol | null
  fix: Fix | null
  geoError: 'refused' | 'unavailable' | null
  starting: boolean
  startFailed: boolean
  start(): Promise<void>
  end(): Promise<void>
}

const storageKey = (user: string) => `gridscope.patrol.${user}`

function readRunning(user: string): RunningPatrol | null {
  try {
    const value = JSON.parse(localStorage.getItem(storageKey(user)) ?? 'null') as RunningPatrol | null
    const known = value && (typeof value.id === 'number' || typeof value.id === 'string' || (value.id === null && typeof value.startKey === 'string'))
    // A patrol remembered before start keys existed is named by its id.
    return known && typeof value.startedAt === 'number' ? { ...value, startKey: value.startKey ?? `id-${value.id}` } : null
  } catch {
    return null
  }
}

function writeRunning(user: string, value: RunningPatrol | null): void {
  try {
    if (value) localStorage.setItem(storageKey(user), JSON.stringify(value))
    else localStorage.removeItem(storageKey(user))
  } catch {
    // Not remembered across a reload; the patrol itself goes on.
  }
}

/** How queued items name `patrol`: by id when the server gave one, else by its start. */
function patrolRef(patrol: RunningPatrol): PatrolRef {
  return patrol.id !== null ? { patrolId: patrol.id } : { start: { key: patrol.startKey, startedAt: new Date(patrol.startedAt).toISOString() } }
}

export function usePatrol(user: string, enqueue: (item: QueueItem) => Promise<void>): Patrol {
  const [running, setRunning] = useState<RunningPatrol | null>(() => readRunning(user))
  const [fix, setFix] = useState<Fix | null>(null)
  const [geoError, setGeoError] = useState<'refused' | 'unavailable' | null>(null)
  const [starting, setStarting] = useState(false)
  const [startFailed, setStartFailed] = useState(false)
  const latestFix = useRef<Fix | null>(null)
  const pending = useRef<PatrolPosition[]>([])
  const lastRecordedAt = useRef<number | null>(null)
  const lastFlushAt = useRef(Date.now())

  const flush = useCallback(
    async (patrol: RunningPatrol) => {
      if (pending.current.length === 0) return
      const positions = pending.current
      pending.current = []
      lastFlushAt.current = Date.now()
      const key = createIdempotencyKey()
      await enqueue({ id: key, key, kind: 'positions', ...patrolRef(patrol), positions, createdAt: Date.now(), attempts: 0, nextAttemptAt: 0 })
    },
    [enqueue],
  )

  // The effect follows the patrol itself (its start key), not its figures.
  const current = useRef(running)
  current.current = running
  const runningKey = running?.startKey
  useEffect(() => {
    if (runningKey === undefined) return
    if (!('geolocation' in navigator)) {
      setGeoError('unavailable')
      return
    }
    const record = () => {
      const now = Date.now()
      if (!shouldRecord(lastRecordedAt.current, latestFix.current, now)) return
      const f = latestFix.current!
      lastRecordedAt.current = now
      pending.current.push({ t: new Date(now).toISOString(), lon: f.lon, lat: f.lat, accuracy: f.accuracy })
      setRunning((r) => {
        const next = r ? { ...r, recorded: r.recorded + 1 } : r
        writeRunning(user, next)
        return next
      })
      if (shouldFlush(pending.current.length, lastFlushAt.current, now) && current.current) void flush(current.current)
    }
    const watch = navigator.geolocation.watchPosition(
      (p) => {
        const next = { lon: p.coords.longitude, lat: p.coords.latitude, accuracy: p.coords.accuracy, at: Date.now() }
        latestFix.current = next
        setFix(next)
        setGeoError(null)
        record()
      },
      (error) => setGeoError(error.code === error.PERMISSION_DENIED ? 'refused' : 'unavailable'),
      { enableHighAccuracy: true, maximumAge: 10_000, timeout: 30_000 },
    )
    const ticker = setInterval(record, 1000)
    const onHide = () => void (current.current && flush(current.current))
    window.addEventListener('pagehide', onHide)
    return () => {
      navigator.geolocation.clearWatch(watch)
      clearInterval(ticker)
      window.removeEventListener('pagehide', onHide)
    }
  }, [runningKey, user, flush])

  const start = useCallback(async () => {
    setStarting(true)
    setStartFailed(false)
    const startedAt = new Date().toISOString()
    const key = createIdempotencyKey()
    // Without network (or with no answer) the patrol starts on the phone: the start is queued and
    // sent with the same key later, which the server answers with the same patrol.
    const started = navigator.onLine ? await startPatrol(startedAt, key) : null
    setStarting(false)
    if (started && !started.ok && !isRetryable(started, 'patrol-start')) {
      setStartFailed(true)
      return
    }
    if (!started?.ok) await enqueue({ id: key, key, kind: 'patrol-start', startedAt, createdAt: Date.now(), attempts: 0, nextAttemptAt: 0 })
    const next: RunningPatrol = { id: started?.ok ? started.value.id : null, startKey: key, startedAt: Date.parse(startedAt), recorded: 0 }
    lastRecordedAt.current = null
    lastFlushAt.current = Date.now()
    pending.current = []
    writeRunning(user, next)
    setRunning(next)
  }, [user, enqueue])

  const end = useCallback(async () => {
    if (!running) return
    await flush(running)
    const key = createIdempotencyKey()
    await enqueue({
      id: key,
      key,
      kind: 'patrol-end',
      ...patrolRef(running),
      endedAt: new Date().toISOString(),
      createdAt: Date.now(),
      attempts: 0,
      nextAttemptAt: 0,
    })
    writeRunning(user, null)
    setRunning(null)
  }, [running, flush, enqueue, user])

  return { running, fix, geoError, starting, startFailed, start, end }
}
