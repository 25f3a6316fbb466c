/**
 * A patrol (巡查) while it runs: started on the server (which gives its id), remembered on the
 * phone so reopening the page carries on, fed by watchPosition, sampled every 20 s and sent in
 * batches through the send queue (patrol-sampler.ts), so positions recorded without network
 * reach the server later. Ending sends what is left, then the end.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import { startPatrol } from './field-api.ts'
import { shouldFlush, shouldRecord, type Fix } from './patrol-sampler.ts'
import { createIdempotencyKey, type PatrolPosition, type QueueItem } from './queue-logic.ts'

export interface RunningPatrol {
  id: number | string
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
    return value && (typeof value.id === 'number' || typeof value.id === 'string') && typeof value.startedAt === 'number' ? value : null
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
    async (patrolId: number | string) => {
      if (pending.current.length === 0) return
      const positions = pending.current
      pending.current = []
      lastFlushAt.current = Date.now()
      const key = createIdempotencyKey()
      await enqueue({ id: key, key, kind: 'positions', patrolId, positions, createdAt: Date.now(), attempts: 0, nextAttemptAt: 0 })
    },
    [enqueue],
  )

  const runningId = running?.id
  useEffect(() => {
    if (runningId === undefined) return
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
      if (shouldFlush(pending.current.length, lastFlushAt.current, now)) void flush(runningId)
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
    const onHide = () => void flush(runningId)
    window.addEventListener('pagehide', onHide)
    return () => {
      navigator.geolocation.clearWatch(watch)
      clearInterval(ticker)
      window.removeEventListener('pagehide', onHide)
    }
  }, [runningId, user, flush])

  const start = useCallback(async () => {
    setStarting(true)
    setStartFailed(false)
    const startedAt = new Date().toISOString()
    const started = await startPatrol(startedAt, createIdempotencyKey())
    setStarting(false)
    if (!started.ok) {
      setStartFailed(true)
      return
    }
    const next = { id: started.value.id, startedAt: Date.parse(startedAt), recorded: 0 }
    lastRecordedAt.current = null
    lastFlushAt.current = Date.now()
    pending.current = []
    writeRunning(user, next)
    setRunning(next)
  }, [user])

  const end = useCallback(async () => {
    if (!running) return
    await flush(running.id)
    const key = createIdempotencyKey()
    await enqueue({
      id: key,
      key,
      kind: 'patrol-end',
      patrolId: running.id,
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
