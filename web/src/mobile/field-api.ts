/**
 * The phone page's requests: the queue's transport (reports, photos, actions, patrol positions)
 * and starting a patrol. Multipart uploads and Idempotency-Key headers are plain fetch, where the
 * typed RPC client adds nothing; each answer becomes an Outcome the queue can judge (no answer at
 * all has no status).
 */
import type { Outcome, PatrolPosition, QueueTransport, ReportBody } from './queue-logic.ts'

async function send<T>(path: string, init: RequestInit): Promise<Outcome<T>> {
  let response: Response
  try {
    response = await fetch(path, { ...init, credentials: 'same-origin' })
  } catch (error) {
    return { ok: false, detail: error instanceof Error ? error.message : String(error) }
  }
  const text = await response.text().catch(() => null)
  if (text === null) return { ok: false, detail: 'The answer was cut off.' }
  let body: unknown = null
  try {
    body = text ? JSON.parse(text) : null
  } catch {
    body = null
  }
  if (response.ok) return { ok: true, value: body as T }
  const problem = body as { title?: string; detail?: string } | null
  return { ok: false, status: response.status, detail: problem?.detail ?? problem?.title ?? response.statusText }
}

const json = (body: unknown, key?: string): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
  body: JSON.stringify(body),
})

export const fieldTransport: QueueTransport = {
  createIncident: (body: ReportBody, key) => send<{ id: number }>('/api/incidents', json(body, key)),
  uploadPhoto(incidentId, photo, key) {
    const form = new FormData()
    form.append('file', photo.blob, photo.name)
    return send<{ id: string | number }>(`/api/incidents/${incidentId}/attachments`, { method: 'POST', headers: { 'idempotency-key': key }, body: form })
  },
  transition: (incidentId, action, note, key) => send(`/api/incidents/${incidentId}/transitions`, json(note ? { action, note } : { action }, key)),
  startPatrol: (startedAt, key) => startPatrol(startedAt, key),
  sendPositions: (patrolId, positions: PatrolPosition[]) => send(`/api/patrols/${patrolId}/positions`, json(positions)),
  endPatrol: (patrolId, endedAt) => send(`/api/patrols/${patrolId}/end`, json({ endedAt })),
}

/** Starts a patrol now; the key makes a repeated press (or a retry after a lost answer) the same patrol. */
export function startPatrol(startedAt: string, key: string): Promise<Outcome<{ id: number | string }>> {
  return send<{ id: number | string }>('/api/patrols', json({ startedAt }, key))
}
