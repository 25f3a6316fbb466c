/**
 * The phone page's requests: the queue's transport (reports, photos, actions, patrol positions)
 * and starting a patrol, through the one typed client of api/rpc.ts with an Idempotency-Key
 * header where a retry must not repeat the write. Each answer becomes an Outcome the queue can
 * judge (`readOutcome`: no answer at all has no status).
 */
import { api, readOutcome, type Outcome } from '../api/rpc.ts'
import type { PatrolPosition, QueueTransport, ReportBody } from './queue-logic.ts'

const keyed = (key: string) => ({ headers: { 'idempotency-key': key } })

export const fieldTransport: QueueTransport = {
  createIncident: (body: ReportBody, key) => readOutcome<{ id: number }>(() => api.incidents.$post({ json: body }, keyed(key))),
  uploadPhoto(incidentId, photo, key) {
    // The attachment route streams its multipart body itself, so the client has no form type for it.
    const form = new FormData()
    form.append('file', photo.blob, photo.name)
    return readOutcome<{ id: string | number }>(() =>
      api.incidents[':id'].attachments.$post({ param: { id: String(incidentId) } }, { ...keyed(key), init: { body: form } }),
    )
  },
  transition: (incidentId, action, note, key) =>
    readOutcome(() => api.incidents[':id'].transitions.$post({ param: { id: String(incidentId) }, json: note ? { action, note } : { action } }, keyed(key))),
  merge: (incidentId, into, note) => readOutcome(() => api.incidents[':id'].merge.$post({ param: { id: String(incidentId) }, json: { into, note } })),
  startPatrol: (startedAt, key) => startPatrol(startedAt, key),
  sendPositions: (patrolId, positions: PatrolPosition[]) =>
    readOutcome(() => api.patrols[':id'].positions.$post({ param: { id: String(patrolId) }, json: positions })),
  // The end route reads its optional body itself ({ endedAt } when sent later from the queue).
  endPatrol: (patrolId, endedAt) =>
    readOutcome(() =>
      api.patrols[':id'].end.$post(
        { param: { id: String(patrolId) } },
        { headers: { 'content-type': 'application/json' }, init: { body: JSON.stringify({ endedAt }) } },
      ),
    ),
}

/** Starts a patrol now; the key makes a repeated press (or a retry after a lost answer) the same patrol. */
export function startPatrol(startedAt: string, key: string): Promise<Outcome<{ id: number | string }>> {
  return readOutcome<{ id: number | string }>(() => api.patrols.$post({ json: { startedAt } }, keyed(key)))
}
