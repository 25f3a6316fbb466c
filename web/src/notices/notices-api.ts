/**
 * The notices API for the web client, through the typed Hono RPC client like every other call;
 * the live notice events come over the same SSE feed as incidents (see use-notice-live.ts).
 */
import type { InferRequestType, InferResponseType } from 'hono/client'
import { api, readJson } from '../api/rpc.ts'
import type { NoticeDetail, NoticeLiveEvent } from '../../../server/notices/types.ts'

export type { NoticeDetail, NoticeLiveEvent }

export type NoticeListItem = InferResponseType<typeof api.notices.$get, 200>['notices'][number]
export type InboxItem = InferResponseType<typeof api.notices.inbox.$get, 200>['notices'][number]
export type NewNotice = InferRequestType<typeof api.notices.$post>['json']
export type NoticeTarget = NewNotice['target']
export type NewReply = InferRequestType<(typeof api.notices)[':id']['replies']['$post']>['json']
export type NoticeKind = NewNotice['kind']
export type CellState = NoticeDetail['byCell'][number]['state']

export const URGENT_KINDS: readonly NoticeKind[] = ['missing-person', 'urgent']

export async function fetchNotices(status: 'active' | 'closed', signal?: AbortSignal): Promise<NoticeListItem[]> {
  return (await readJson<{ notices: NoticeListItem[] }>(await api.notices.$get({ query: { status } }, { init: { signal } }))).notices
}

export async function fetchInbox(signal?: AbortSignal): Promise<InboxItem[]> {
  return (await readJson<{ notices: InboxItem[] }>(await api.notices.inbox.$get({}, { init: { signal } }))).notices
}

export async function fetchNotice(id: number, level?: number, signal?: AbortSignal): Promise<NoticeDetail> {
  const query = level === undefined ? { geometry: '1' as const } : { level: String(level) as '2' | '3' | '4' | '5', geometry: '1' as const }
  return readJson<NoticeDetail>(await api.notices[':id'].$get({ param: { id: String(id) }, query }, { init: { signal } }))
}

export async function previewRecipients(target: NoticeTarget, signal?: AbortSignal): Promise<number> {
  return (await readJson<{ recipients: number }>(await api.notices.preview.$post({ json: { target } }, { init: { signal } }))).recipients
}

export async function sendNotice(notice: NewNotice, idempotencyKey: string): Promise<{ id: number; recipients: number }> {
  return readJson(await api.notices.$post({ json: notice }, { headers: { 'idempotency-key': idempotencyKey } }))
}

export async function acknowledgeNotice(id: number): Promise<void> {
  await readJson(await api.notices[':id'].ack.$post({ param: { id: String(id) } }, { init: { headers: { 'content-type': 'application/json' }, body: '{}' } }))
}

export async function replyToNotice(id: number, reply: NewReply): Promise<void> {
  await readJson(await api.notices[':id'].replies.$post({ param: { id: String(id) }, json: reply }))
}

export async function remindNotice(id: number): Promise<number> {
  return (
    await readJson<{ reminded: number }>(
      await api.notices[':id'].remind.$post({ param: { id: String(id) } }, { init: { headers: { 'content-type': 'application/json' }, body: '{}' } }),
    )
  ).reminded
}

export async function closeNotice(id: number, outcome: 'found' | 'cancelled', note: string): Promise<void> {
  await readJson(await api.notices[':id'].close.$post({ param: { id: String(id) }, json: { outcome, note } }))
}

/** Uploads a photo (a clue's, or a notice's own) and returns its id for the reply or the send. */
export async function uploadNoticePhoto(file: File): Promise<number> {
  // A multipart body the route reads itself (no validator to type it), so a plain fetch.
  const form = new FormData()
  form.set('file', file)
  return (await readJson<{ id: number }>(await fetch('/api/notices/attachments', { method: 'POST', body: form }))).id
}

export function noticePhotoUrl(id: number, size: 'full' | 'thumb' = 'full'): string {
  return `/api/notices/attachments/${id}${size === 'thumb' ? '?size=thumb' : ''}`
}
