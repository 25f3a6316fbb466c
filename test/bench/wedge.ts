/**
 * `npm run bench -- wedge`: what misbehaving clients cost everyone else.
 * - Streams: the p95 of an ordinary list request with 10 stalled export readers and 30 live
 *   clients replaying from Last-Event-ID 0 connected, ÷ the same with none connected (goal ≤ 1.5).
 *   Rounds alternate quiet and loaded, so the machine's drift falls on both sides.
 * - Sign-in flood: genuine users' sign-ins per second while one address floods 600 usernames,
 *   ÷ the same without the flood. Each client has its own loopback address (127.0.x.y).
 */
import type { Socket } from 'node:net'
import { addUser } from '../../server/access/accounts.ts'
import type { Database } from '../../server/db/connect.ts'
import { DUMMY_HASH } from '../../server/access/passwords.ts'
import { createSession } from '../../server/access/sessions.ts'
import { cookieOf, signIn } from '../support/auth.ts'
import { requestFrom, stalledGet } from '../support/raw-http.ts'
import { serveApp } from './support/bench-server.ts'

const ROUNDS = 3
const STALL_SETTLE_MS = 5000
const REQUESTS = 120

function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!
}

/** Latencies of `count` list requests, four at a time. */
async function listLatencies(url: string, cookie: string, count: number): Promise<number[]> {
  const times: number[] = []
  let next = 0
  const worker = async () => {
    while (next < count) {
      const k = next++
      const started = performance.now()
      const res = await fetch(`${url}/api/incidents?limit=50&grid=440904004${k % 2 ? '&status=reported' : ''}`, { headers: { cookie } })
      await res.arrayBuffer()
      if (res.status !== 200) throw new Error(`list answered ${res.status}`)
      times.push(performance.now() - started)
    }
  }
  await Promise.all([worker(), worker(), worker(), worker()])
  return times
}

export interface StreamsResult {
  quietP95Ms: number[]
  loadedP95Ms: number[]
  ratios: number[]
}

export async function benchStalledStreams(db: Database): Promise<StreamsResult> {
  const server = await serveApp(db)
  const result: StreamsResult = { quietP95Ms: [], loadedP95Ms: [], ratios: [] }
  try {
    const exporters = await Promise.all(Array.from({ length: 5 }, () => districtAnalyst(db)))
    const listeners = await Promise.all(Array.from({ length: 30 }, () => signIn(db, 'analyst')))
    await listLatencies(server.url, server.cookie, 40) // warm-up
    for (let round = 0; round < ROUNDS; round++) {
      const quiet = percentile(await listLatencies(server.url, server.cookie, REQUESTS), 0.95)
      // 10 stalled export readers (two per user, the per-user limit) and 30 replays from 0.
      // Beyond the per-user and server-wide export limits they are answered 429 at once.
      const stalled: Socket[] = await Promise.all(
        exporters.flatMap((cookie) => [0, 1].map(() => stalledGet(server.url, '/api/incidents/export?format=geojson', cookie))),
      )
      const controllers = listeners.map(() => new AbortController())
      const live = await Promise.all(
        listeners.map((cookie, i) => fetch(`${server.url}/api/live`, { headers: { cookie, 'last-event-id': '0' }, signal: controllers[i]!.signal })),
      )
      if (live.some((res) => res.status !== 200)) throw new Error('a live client was refused')
      // The exports admitted run until the unread socket buffers are full (a few MB each); measured
      // once they are stalled, as the readers are.
      await new Promise((resolve) => setTimeout(resolve, STALL_SETTLE_MS))
      const loaded = percentile(await listLatencies(server.url, server.cookie, REQUESTS), 0.95)
      for (const socket of stalled) socket.destroy()
      for (const controller of controllers) controller.abort()
      result.quietP95Ms.push(quiet)
      result.loadedP95Ms.push(loaded)
      result.ratios.push(loaded / quiet)
      // Let the streams wind down before the next quiet round.
      await new Promise((resolve) => setTimeout(resolve, 1000))
    }
  } finally {
    await server.close()
  }
  return result
}

/** A district analyst of its own (the per-user export limit counts per user). */
async function districtAnalyst(db: Database): Promise<string> {
  const name = `bench-exporter-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
  const [user] = await db.sql<
    { id: number }[]
  >`insert into app_user (username, password_hash, role, scope) values (${name}, ${DUMMY_HASH}, 'analyst', '440904') returning id`
  return cookieOf((await createSession(db.sql, { userId: user!.id }, 3_600_000)).token)
}

export interface FloodResult {
  quietPerSecond: number
  floodPerSecond: number
  ratio: number
  floodRequests: number
  floodLimited: number
}

/** Signs each genuine user in once from its own address (four at a time); sign-ins per second. */
async function genuineRate(url: string, users: { username: string; password: string }[], subnet: number): Promise<number> {
  const started = performance.now()
  let next = 0
  const worker = async () => {
    while (next < users.length) {
      const k = next++
      const res = await requestFrom(`127.0.${subnet}.${k + 1}`, url, '/api/auth/login', { method: 'POST', body: users[k] })
      if (res.status !== 200) throw new Error(`a genuine sign-in answered ${res.status}`)
    }
  }
  await Promise.all([worker(), worker(), worker(), worker()])
  return users.length / ((performance.now() - started) / 1000)
}

export async function benchSignInFlood(db: Database): Promise<FloodResult> {
  const server = await serveApp(db)
  try {
    const run = Date.now().toString(36)
    const users = Array.from({ length: 60 }, (_, k) => ({ username: `bench-${run}-${k}`, password: `bench password ${k}` }))
    for (const user of users) await addUser(db.sql, { ...user, role: 'analyst' })
    let floodRequests = 0
    let floodLimited = 0
    const quiet: number[] = []
    const flooded: number[] = []
    // Rounds alternate quiet and flooded; each genuine user signs in once per round from a new address.
    for (let round = 0; round < 2; round++) {
      quiet.push(await genuineRate(server.url, users, 10 + 2 * round))
      let flooding = true
      const flood = Array.from({ length: 32 }, async (_, worker) => {
        for (let k = worker; flooding; k += 32) {
          const res = await requestFrom('127.0.0.2', server.url, '/api/auth/login', {
            method: 'POST',
            body: { username: `flood-${run}-${k % 600}`, password: 'guess' },
          })
          floodRequests++
          if (res.status === 429) floodLimited++
        }
      })
      await new Promise((resolve) => setTimeout(resolve, 500)) // the flood is under way
      flooded.push(await genuineRate(server.url, users, 11 + 2 * round))
      flooding = false
      await Promise.all(flood)
    }
    const quietPerSecond = quiet.reduce((a, b) => a + b) / quiet.length
    const floodPerSecond = flooded.reduce((a, b) => a + b) / flooded.length
    return { quietPerSecond, floodPerSecond, ratio: floodPerSecond / quietPerSecond, floodRequests, floodLimited }
  } finally {
    await server.close()
  }
}
