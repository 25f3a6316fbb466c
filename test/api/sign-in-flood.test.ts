/**
 * Sign-in floods: one address trying many usernames is limited, a username is limited across
 * addresses (a new address gets no fresh allowance), a genuine user elsewhere still signs in
 * during the flood, and the password hashing runs through a bounded queue (503 when full).
 * Clients come from different loopback addresses (127.0.0.x).
 */
import { afterAll, describe, expect, it } from 'vitest'
import { addUser } from '../../server/access/accounts.ts'
import { HashQueue, QueueFullError } from '../../server/access/hash-queue.ts'
import { connectTestDatabase } from '../support/database.ts'
import { requestFrom } from '../support/raw-http.ts'
import { serveApp } from '../support/serve-app.ts'

const db = connectTestDatabase()
const served = await serveApp(db)
afterAll(async () => {
  await served.close()
  await db.close()
})

const run = Date.now().toString(36)
const genuine = { username: `genuine-${run}`, password: 'a genuine password 1' }
await addUser(db.sql, { ...genuine, role: 'analyst' })

const login = (from: string, username: string, password: string) =>
  requestFrom(from, served.url, '/api/auth/login', { method: 'POST', body: { username, password } })

describe('sign-in floods', () => {
  it('limits one address trying 600 usernames, while a genuine user elsewhere signs in', { timeout: 120_000 }, async () => {
    const statuses: number[] = []
    const flood = (async () => {
      for (let start = 0; start < 600; start += 50) {
        const batch = await Promise.all(Array.from({ length: 50 }, (_, k) => login('127.0.0.2', `nobody-${run}-${start + k}`, 'wrong password')))
        statuses.push(...batch.map((r) => r.status))
      }
    })()
    const signedIn = await login('127.0.0.3', genuine.username, genuine.password)
    await flood
    expect(signedIn.status).toBe(200)
    expect((signedIn.body as { name: string }).name).toBe(genuine.username)
    const limited = statuses.filter((s) => s === 429).length
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(30) // the per-address allowance
    expect(limited).toBeGreaterThanOrEqual(570)
    expect((await login('127.0.0.3', genuine.username, genuine.password)).status).toBe(200)
  })

  it('limits one username across addresses: a new address gets no fresh allowance', { timeout: 60_000 }, async () => {
    const target = `target-${run}`
    await addUser(db.sql, { username: target, password: 'the right password 2', role: 'analyst' })
    const statuses: number[] = []
    for (let k = 0; k < 25; k++) statuses.push((await login(`127.0.1.${k + 1}`, target, 'a wrong guess')).status)
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true)
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true)
    const fresh = await login('127.0.2.1', target, 'the right password 2')
    expect(fresh.status).toBe(429)
    expect(fresh.headers['retry-after']).toBeTruthy()
  })
})

describe('the hashing queue', () => {
  it('runs at most its concurrency at once and refuses beyond its capacity', async () => {
    const queue = new HashQueue(2, 3)
    let running = 0
    let most = 0
    const releases: (() => void)[] = []
    const work = () =>
      new Promise<void>((resolve) => {
        running++
        most = Math.max(most, running)
        releases.push(() => {
          running--
          resolve()
        })
      })
    const accepted = Array.from({ length: 5 }, () => queue.run(work))
    await expect(queue.run(work)).rejects.toBeInstanceOf(QueueFullError)
    while (releases.length) {
      releases.shift()!()
      await new Promise((resolve) => setImmediate(resolve))
    }
    await Promise.all(accepted)
    expect(most).toBe(2)
    expect(queue.depth).toBe(0)
  })
})
