/**
 * The case loop's calls (dispatch candidates, actions with a note and an assignee, my cases,
 * possible duplicates, merge, departments, staff contacts), through the same typed Hono RPC client
 * as the rest of the app: a changed route is a type error here.
 */
import { hc, type InferResponseType } from 'hono/client'
import type { AppType } from '../../../server/app.ts'
import { ApiError, type Incident, type IncidentAction } from '../api/client.ts'

const api = hc<AppType>('/').api

export type DispatchCandidates = InferResponseType<(typeof api.incidents)[':id']['candidates']['$get'], 200>
export type Candidate = DispatchCandidates['items'][number]
export type MyCases = InferResponseType<typeof api.incidents.mine.$get, 200>
export type DuplicateCandidates = InferResponseType<typeof api.incidents.duplicates.$get, 200>
export type Departments = InferResponseType<typeof api.departments.$get, 200>
export type AssigneeChoice = { person: number } | { department: number }

async function readJson<T>(response: Response): Promise<T> {
  if (response.ok) return (await response.json()) as T
  const problem = (await response.json().catch(() => null)) as ConstructorParameters<typeof ApiError>[0] | null
  throw new ApiError(problem?.title ? problem : { title: response.statusText || 'Request failed', status: response.status })
}

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

export async function fetchDuplicates(category: string, lon: number, lat: number): Promise<DuplicateCandidates> {
  return readJson(await api.incidents.duplicates.$get({ query: { category, lon: String(lon), lat: String(lat) } }))
}

export async function postMerge(id: number, into: number, note: string): Promise<Incident> {
  return readJson(await api.incidents[':id'].merge.$post({ param: { id: String(id) }, json: { into, note } }))
}

export async function fetchDepartments(): Promise<Departments> {
  return readJson(await api.departments.$get())
}
