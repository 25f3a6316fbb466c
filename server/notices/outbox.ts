/**
 * The outbox of the notices' outbound channels. A notice action (sent, reminded, closed) writes
 * one row per channel in its own transaction (`enqueueOutbound`), each with one idempotency key
 * and the time its next attempt is due; a worker in every API process sends the rows that are
 * due. So a delivery that was due or retrying when a process stopped is sent by the next start,
 * and a process that died mid-send leaves its row to be retried after the lease, under the same
 * key (the receiver drops the repeat). A row once sent is never sent again.
 *
 * Rows are claimed with FOR UPDATE SKIP LOCKED and leased (their next attempt pushed past the
 * send's timeout) before the send, so two processes never send one row at once. A process only
 * claims rows of the channels it has: the channel's name is part of the key.
 */
import type { Sql } from '../db/connect.ts'
import { DrainLoop } from '../db/drain-loop.ts'
import { log } from '../log.ts'
import type { Channel, OutboundMessage, OutboundOptions } from './channels.ts'
import type { Tx } from './queries.ts'

const CLAIM_BATCH = 20
/** Longer than any channel's send timeout: a claimed row is not due again before the send has ended. */
const LEASE_S = 60
/** Rows left by other processes (a lease that ran out) are looked for this often. */
const SAFETY_POLL_MS = 30_000

type Action = OutboundMessage['action']

/** Writes the deliveries of one notice action, one per channel; call it inside the action's transaction. */
export async function enqueueOutbound(
  tx: Tx,
  channels: Channel[],
  e: { noticeId: number; action: Action; eventId: number; personIds?: number[] },
): Promise<void> {
  if (!channels.length) return
  const [row] = await tx<{ recipients: number }[]>`
    select count(*)::int as recipients from notice_recipient
    where notice_id = ${e.noticeId} ${e.personIds ? tx`and person_id = any(${e.personIds}::int[])` : tx``}`
  const names = channels.map((c) => c.name)
  await tx`
    insert into notice_outbound (notice_id, channel, action, idempotency_key, recipients, person_ids, next_attempt_at)
    select ${e.noticeId}, name, ${e.action}, ${`notice-${e.noticeId}-${e.action}-${e.eventId}-`} || name, ${row!.recipients}, ${e.personIds ?? null}::int[], now()
    from unnest(${names}::text[]) as c(name)
    on conflict (idempotency_key) do nothing`
}

interface Claimed {
  id: number
  noticeId: number
  channel: string
  action: Action
  idempotencyKey: string
  personIds: number[] | null
  attempts: number
}

export class Outbox {
  private stopped = false
  private readonly sends = new DrainLoop({
    drain: () => this.sendDue(),
    active: () => !this.stopped && this.channels.size > 0,
    failure: 'notice outbox: reading due deliveries failed; retrying on the next poll',
    ended: () => void this.stop(),
  })
  private readonly retries = new Map<NodeJS.Timeout, { done: Promise<void>; resolve(): void }>()
  private readonly poll: NodeJS.Timeout
  private readonly channels: Map<string, Channel>

  constructor(
    private readonly sql: Sql,
    private readonly options: OutboundOptions,
  ) {
    this.channels = new Map(options.channels.map((c) => [c.name, c]))
    if (this.channels.size !== options.channels.length) throw new Error('notice channels need distinct names')
    this.poll = setInterval(() => this.kick(), SAFETY_POLL_MS).unref()
    // Picks up what was due or retrying when the last process stopped.
    this.kick()
  }

  /** Sends every due row of this process's channels (again if kicked meanwhile). */
  kick(): void {
    this.sends.trigger()
  }

  private async sendDue(): Promise<void> {
    let batch: Claimed[]
    do {
      batch = await this.claim()
      await Promise.all(batch.map((row) => this.attempt(row)))
    } while (batch.length === CLAIM_BATCH && !this.stopped)
  }

  /** Resolves when this process has nothing in flight and no retry of its own waiting. */
  async settled(): Promise<void> {
    while (this.sends.running || this.retries.size) await Promise.all([this.sends.running, ...[...this.retries.values()].map((r) => r.done)])
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearInterval(this.poll)
    for (const [timer, retry] of this.retries) {
      clearTimeout(timer)
      retry.resolve()
    }
    this.retries.clear()
    await this.sends.running
  }

  private async claim(): Promise<Claimed[]> {
    return this.sql<Claimed[]>`
      update notice_outbound o set attempts = o.attempts + 1, next_attempt_at = now() + make_interval(secs => ${LEASE_S}), updated_at = now()
      where o.id in (
        select id from notice_outbound
        where status = 'pending' and next_attempt_at <= now() and channel = any(${[...this.channels.keys()]}::text[])
        order by next_attempt_at, id limit ${CLAIM_BATCH} for update skip locked)
      returning o.id, o.notice_id as "noticeId", o.channel, o.action, o.idempotency_key as "idempotencyKey", o.person_ids as "personIds", o.attempts`
  }

  private async attempt(row: Claimed): Promise<void> {
    const channel = this.channels.get(row.channel)!
    try {
      await channel.send(await this.messageOf(row))
      await this.sql`update notice_outbound set status = 'sent', last_error = null, next_attempt_at = null, updated_at = now() where id = ${row.id}`
    } catch (error) {
      const reason = error instanceof Error ? error.message.slice(0, 200) : 'failed'
      const last = row.attempts >= this.options.attempts
      const delayMs = this.options.retryDelayMs * 2 ** (row.attempts - 1)
      await this.sql`
        update notice_outbound set status = ${last ? 'failed' : 'pending'}, last_error = ${reason}, updated_at = now(),
               next_attempt_at = ${last ? null : this.sql`now() + make_interval(secs => ${delayMs / 1000})`}
        where id = ${row.id}`
      log.warn(
        { notice: row.noticeId, channel: row.channel, attempt: row.attempts, reason },
        last ? 'notice: outbound channel failed' : 'notice: outbound channel retrying',
      )
      if (!last) this.retryAfter(row, delayMs)
    }
  }

  /**
   * Sends the row again once it is due. The due time is the database's: a timer counts whole
   * milliseconds on this process's clock and may fire before the database's `now()` reaches it,
   * so a row that is still waiting after the timer's pass gets a new timer for what the database
   * says is left, rather than waiting for the safety poll.
   */
  private retryAfter(row: Claimed, ms: number): void {
    if (this.stopped) return
    let resolve = () => {}
    const done = new Promise<void>((r) => (resolve = r))
    const timer = setTimeout(() => {
      this.kick()
      void (this.sends.running ?? Promise.resolve())
        .then(() => this.stillWaiting(row))
        .then((leftMs) => {
          if (leftMs !== null) this.retryAfter(row, leftMs)
        })
        .catch((error: unknown) => log.warn({ err: error, notice: row.noticeId }, 'notice: outbound retry could not be re-armed; the safety poll will send it'))
        .finally(() => {
          this.retries.delete(timer)
          resolve()
        })
    }, ms)
    this.retries.set(timer, { done, resolve })
  }

  /**
   * When to look again at a row no one has claimed since `row`'s attempt: when the database says it
   * is due, or, if it was due and the pass still did not send it (the claim failed and was logged),
   * after one retry delay rather than at once.
   */
  private async stillWaiting(row: Claimed): Promise<number | null> {
    if (this.stopped) return null
    const [waiting] = await this.sql<{ leftMs: number }[]>`
      select ceil(extract(epoch from next_attempt_at - clock_timestamp()) * 1000)::float8 as "leftMs"
      from notice_outbound where id = ${row.id} and status = 'pending' and attempts = ${row.attempts}`
    if (!waiting) return null
    return waiting.leftMs > 0 ? waiting.leftMs : this.options.retryDelayMs
  }

  /** The message of a row: the notice's text and its recipients' work phones as stored at sending. */
  private async messageOf(row: Claimed): Promise<OutboundMessage> {
    const [notice] = await this.sql<{ kind: string; priority: string; title: string; body: string; ackDeadline: string }[]>`
      select kind, priority, title, body, ack_deadline as "ackDeadline" from notice where id = ${row.noticeId}`
    const recipients = await this.sql<OutboundMessage['recipients']>`
      select person_id as "personId", cell_code as "cellCode", phone from notice_recipient
      where notice_id = ${row.noticeId} ${row.personIds ? this.sql`and person_id = any(${row.personIds}::int[])` : this.sql``} order by person_id`
    return { idempotencyKey: row.idempotencyKey, noticeId: row.noticeId, action: row.action, ...notice!, recipients }
  }
}
