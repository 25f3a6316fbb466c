/**
 * The case loop's calls (dispatch candidates, actions with a note and an assignee, my cases,
 * possible duplicates, merge, departments, staff contacts), through the one typed Hono RPC client and
 * JSON reader of api/rpc.ts: a changed route is a type error here.
 */
import type { InferResponseType } from 'hono/client'
import type { Incident, IncidentAction } from '../api/client.ts'
import { api, readJson } from '../api/rpc.ts'

export type DispatchCandidates = InferResponseType<(typeof api.incidents)[':id']['candidates']['$get'], 200>
export type Candidate = DispatchCandidates['items'][number]
export type MyCases = InferResponseType<typeof api.incidents.mine.$get, 200>
export type DuplicateCandidates = InferResponseType<typeof api.incidents.duplicates.$get, 200>
export type Departments = InferResponseType<typeof api.departments.$get, 200>
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

export async function fetchDuplicates(category: string, lon: number, lat: number): Promise<DuplicateCandidates> {
  return readJson(await api.incidents.duplicates.$get({ query: { category, lon: String(lon), lat: String(lat) } }))
}

export async function postMerge(id: number, into: number, note: string): Promise<Incident> {
  return readJson(await api.incidents[':id'].merge.$post({ param: { id: String(id) }, json: { into, note } }))
}

export async function fetchDepartments(): Promise<Departments> {
  return readJson(await api.departments.$get())
}
