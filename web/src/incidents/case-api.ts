/**
 * The case loop's calls (dispatch candidates, actions with a note and an assignee, my cases,
 * possible duplicates, reporting from the desk, merge), through the one typed Hono RPC client
 * and its JSON reader (api/rpc.ts): a changed route is a type error here.
 */
import type { InferRequestType, InferResponseType } from 'hono/client'
import type { Incident, IncidentAction, IncidentDetail } from '../api/client.ts'
import { api, readJson } from '../api/rpc.ts'

export type DispatchCandidates = InferResponseType<(typeof api.incidents)[':id']['candidates']['$get'], 200>
export type Candidate = DispatchCandidates['items'][number]
export type MyCases = InferResponseType<typeof api.incidents.mine.$get, 200>
export type MyCase = MyCases['items'][number]
export type DuplicateCandidates = InferResponseType<typeof api.incidents.duplicates.$get, 200>
export type DuplicateCandidate = DuplicateCandidates['items'][number]
export type NewIncidentBody = InferRequestType<typeof api.incidents.$post>['json']
export type AssigneeChoice = { person: number } | { department: number }

export async function fetchCandidates(id: number): Promise<DispatchCandidates> {
  return readJson(await api.incidents[':id'].candidates.$get({ param: { id: String(id) } }))
}

/** Applies an action with its note (and, for dispatch, whom it goes to). */
export async function postCaseAction(id: number, action: IncidentAction, note: string, assignee?: AssigneeChoice): Promise<Incident> {
  return readJson(await api.incidents[':id'].transitions.$post({ param: { id: String(id) }, json: { action, note: note || undefined, assignee } }))
}

export async function fetchMyCases(): Promise<MyCases> {
  return readJson(await api.incidents.mine.$get())
}

/** Open cases of the same subcategory within 50 m and 7 days of a point (`exclude`: a case itself). */
export async function fetchDuplicates(category: string, lon: number, lat: number, exclude?: number): Promise<DuplicateCandidates> {
  const query = { category, lon: String(lon), lat: String(lat), ...(exclude ? { exclude: String(exclude) } : {}) }
  return readJson(await api.incidents.duplicates.$get({ query }))
}

/** Closes case `id` into case `into`; answers the kept case. */
export async function postMerge(id: number, into: number, note: string): Promise<IncidentDetail> {
  return readJson(await api.incidents[':id'].merge.$post({ param: { id: String(id) }, json: { into, note } }))
}

/** Reports a case; `key` makes a repeated click or a retry store it once. */
export async function postIncident(body: NewIncidentBody, key: string): Promise<{ id: number }> {
  return readJson(await api.incidents.$post({ json: body }, { headers: { 'idempotency-key': key } }))
}

/**
 * "The same case: add to it": the report is stored (so what the reporter said, and who, stays on
 * record) and at once merged into the existing case, whose timeline then holds it.
 */
export async function addReportToCase(body: NewIncidentBody, into: number, key: string, note: string): Promise<IncidentDetail> {
  const created = await postIncident(body, key)
  return postMerge(created.id, into, note)
}

/** A fresh Idempotency-Key for one report. */
export function createReportKey(): string {
  return `desk-${crypto.randomUUID()}`
}
