/**
 * The web client's one way to the API: a Hono RPC client derived from the server's route types
 * (`AppType`), so a changed route or response shape is a type error here, not a runtime
 * surprise, and the one reader of its answers: the parsed body, or an `ApiError` carrying the
 * server's problem+json. Every screen's requests (client.ts, the analyst's and the wall's) go
 * through these two.
 */
import { hc } from 'hono/client'
import type { AppType } from '../../../server/app.ts'

export const api = hc<AppType>('/').api

/** RFC 9457 problem details as the API renders them. */
export interface Problem {
  title: string
  status: number
  detail?: string
  invalidParams?: { name: string; reason: string }[]
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title)
    this.name = 'ApiError'
  }
}

/** The JSON body of a successful answer; otherwise throws the answer's problem as an ApiError. */
export async function readJson<T>(response: Response): Promise<T> {
  if (!response.ok) await throwProblem(response)
  return (await response.json()) as T
}

/** Throws the problem+json of a failed answer (or one made of its status line). */
export async function throwProblem(response: Response): Promise<never> {
  const problem = (await response.json().catch(() => null)) as Problem | null
  throw new ApiError(problem?.title ? problem : { title: response.statusText || 'Request failed', status: response.status })
}
