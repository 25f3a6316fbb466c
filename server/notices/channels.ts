/**
 * Outbound channels for recipients who are not looking at a page: pluggable senders, each given
 * one message per notice action (sent, reminded, closed) with its recipients' work phones. By
 * default the message goes to the log (without phones); a webhook channel POSTs it as JSON to a
 * configured URL (the county's SMS gateway or a work-chat robot) with an Idempotency-Key header
 * that stays the same across retries, retrying with backoff. Messages wait in the outbox
 * (outbox.ts) until sent; every attempt's outcome is stored there, so a failure shows on the notice.
 * Channel names are unique in a process: the name is part of each delivery's idempotency key.
 */
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

export function webhookChannel(url: string, options: { timeoutMs?: number; name?: string } = {}): Channel {
  const timeoutMs = options.timeoutMs ?? 5000
  return {
    name: options.name ?? 'webhook',
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
