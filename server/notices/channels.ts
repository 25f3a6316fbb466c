/**
 * Outbound channels for recipients who are not looking at a page: pluggable senders, each given
 * one message per notice action (sent, reminded, closed) with its recipients' work phones. By
 * default the message goes to the log (without phones); a webhook channel POSTs it as JSON to a
 * configured URL (the county's SMS gateway or a work-chat robot) with an Idempotency-Key header
 * that stays the same across retries, retrying with backoff. Every attempt's outcome is stored
 * in notice_outbound, so a failure shows on the notice.
 */
import type { Sql } from '../db/connect.ts'
import { log } from '../log.ts'

export interface OutboundMessage {
  idempotencyKey: string
  noticeId: number
  action: 'sent' | 'reminded' | 'closed'
  kind: string
  priority: string
  title: string
  body: string
  ackDeadline: string
  recipients: { personId: number; cellCode: string; phone: string }[]
}

export interface Channel {
  name: string
  /** Resolves when delivered; throws with a reason to be retried. */
  send(message: OutboundMessage): Promise<void>
}

export function logChannel(): Channel {
  return {
    name: 'log',
    async send(message) {
      log.info(
        { notice: message.noticeId, action: message.action, kind: message.kind, recipients: message.recipients.length, key: message.idempotencyKey },
        'notice: outbound message',
      )
    },
  }
}

export function webhookChannel(url: string, timeoutMs = 5000): Channel {
  return {
    name: 'webhook',
    async send(message) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': message.idempotencyKey },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'error',
      })
      await response.body?.cancel().catch(() => {})
      if (!response.ok) throw new Error(`HTTP ${response.status}`)
    },
  }
}

export interface OutboundOptions {
  channels: Channel[]
  /** Attempts per message (the first included). */
  attempts: number
  /** Delay before the second attempt; doubled for each later one. */
  retryDelayMs: number
}

export const DEFAULT_OUTBOUND: OutboundOptions = { channels: [logChannel()], attempts: 4, retryDelayMs: 2000 }

/** The channels named in the configuration. */
export function channelsFrom(config: { NOTICE_CHANNELS: string; NOTICE_WEBHOOK_URL?: string | undefined }): Channel[] {
  const names = config.NOTICE_CHANNELS.split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  return names.map((name) => {
    if (name === 'log') return logChannel()
    if (name === 'webhook' && config.NOTICE_WEBHOOK_URL) return webhookChannel(config.NOTICE_WEBHOOK_URL)
    throw new Error(`notice channel ${name} needs NOTICE_WEBHOOK_URL`)
  })
}

/** Records the message for every channel and sends it in the background; returns when all are settled (tests wait on it). */
export async function dispatchOutbound(
  sql: Sql,
  options: OutboundOptions,
  message: Omit<OutboundMessage, 'idempotencyKey'> & { eventId: number },
): Promise<void> {
  await Promise.all(
    options.channels.map(async (channel) => {
      const idempotencyKey = `notice-${message.noticeId}-${message.action}-${message.eventId}-${channel.name}`
      const { eventId: _eventId, ...rest } = message
      const [row] = await sql<{ id: number }[]>`
      insert into notice_outbound (notice_id, channel, action, idempotency_key, recipients)
      values (${message.noticeId}, ${channel.name}, ${message.action}, ${idempotencyKey}, ${message.recipients.length})
      on conflict (idempotency_key) do nothing returning id`
      if (!row) return
      for (let attempt = 1; attempt <= options.attempts; attempt++) {
        try {
          await channel.send({ ...rest, idempotencyKey })
          await sql`update notice_outbound set status = 'sent', attempts = ${attempt}, last_error = null, updated_at = now() where id = ${row.id}`
          return
        } catch (error) {
          const reason = error instanceof Error ? error.message.slice(0, 200) : 'failed'
          const last = attempt === options.attempts
          await sql`update notice_outbound set status = ${last ? 'failed' : 'pending'}, attempts = ${attempt}, last_error = ${reason}, updated_at = now() where id = ${row.id}`
          log.warn(
            { notice: message.noticeId, channel: channel.name, attempt, reason },
            last ? 'notice: outbound channel failed' : 'notice: outbound channel retrying',
          )
          if (!last) await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs * 2 ** (attempt - 1)))
        }
      }
    }),
  )
}
