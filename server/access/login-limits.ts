/**
 * What stands between a sign-in request and the password hash: fixed-window limits per address
 * and username (the old limit), per username across addresses (a locked user stays locked from a
 * new address) and per address across usernames (one address trying many names), all answered 429
 * with Retry-After before any hashing; then the hashing itself goes through a small queue
 * (hash-queue.ts), so a flood from many addresses cannot fill Node's thread pool: beyond the queue
 * a sign-in is answered 503 with Retry-After.
 */
import type { Context } from 'hono'
import { HttpProblem } from '../http/problem.ts'
import { HashQueue, QueueFullError } from './hash-queue.ts'
import { tooManyRequests } from './middleware.ts'
import { verifyPassword } from './passwords.ts'
import { RateLimiter, type Limiter } from './rate-limit.ts'
import { clientIp } from './client-ip.ts'

export interface LoginLimitOptions {
  /** Attempts per address and username per minute. */
  perAddressAndUser: number
  /** Attempts per username per minute, from every address together. */
  perUser: number
  /** Attempts per address per minute, for every username together. */
  perAddress: number
  /** Password hashes computed at once, and waiting. */
  hashConcurrency: number
  hashQueue: number
  /** Where the counters live (shared-limits.ts on PostgreSQL); in memory by default. */
  limiter?: (name: string, limit: number) => Limiter
}

export class LoginGate {
  private readonly pairs: Limiter
  private readonly users: Limiter
  private readonly addresses: Limiter
  private readonly hashing: HashQueue

  constructor(options: LoginLimitOptions) {
    const limiter = options.limiter ?? ((_name: string, limit: number) => new RateLimiter(limit))
    this.pairs = limiter('login-pair', options.perAddressAndUser)
    this.users = limiter('login-user', options.perUser)
    this.addresses = limiter('login-address', options.perAddress)
    this.hashing = new HashQueue(options.hashConcurrency, options.hashQueue)
  }

  /** Counts a sign-in attempt; throws 429 when the address, the username or the pair is over its limit. */
  async admit(c: Context, username: string): Promise<void> {
    const ip = clientIp(c)
    const name = username.toLowerCase()
    // Every limit counts the attempt, so one refused still uses up its windows.
    const waits = await Promise.all([this.pairs.hit(`${ip}|${name}`), this.users.hit(name), this.addresses.hit(ip)])
    const wait = Math.max(...waits)
    if (wait) {
      const which = waits[1] ? 'for this user' : waits[2] ? 'from this address' : 'for this user from this address'
      throw tooManyRequests(c, wait, `Too many sign-in attempts ${which}; wait a minute.`)
    }
  }

  /** Counts a wall token attempt (per address). */
  async admitWall(c: Context): Promise<void> {
    const ip = clientIp(c)
    const wait = Math.max(...(await Promise.all([this.pairs.hit(`${ip}|wall`), this.addresses.hit(ip)])))
    if (wait) throw tooManyRequests(c, wait, 'Too many wall token attempts from this address; wait a minute.')
  }

  /** Verifies a password through the hashing queue; 503 with Retry-After when the queue is full. */
  async verify(c: Context, password: string, stored: string): Promise<boolean> {
    try {
      return await this.hashing.run(() => verifyPassword(password, stored))
    } catch (error) {
      if (!(error instanceof QueueFullError)) throw error
      c.header('retry-after', '2')
      throw new HttpProblem(503, 'Too busy', 'Too many sign-ins are being checked just now; retry in a moment.', undefined, { retryAfter: 2 })
    }
  }
}
