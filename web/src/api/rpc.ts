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

/** An answer judged without throwing, for a send queue that decides what to retry; `status`
 * absent: no answer at all (offline, connection reset, server gone). */
export type Outcome<T = unknown> = { ok: true; value: T } | { ok: false; status?: number; detail: string }

/** Sends a request of the typed client and reads its answer as an Outcome: the parsed body, or
 * the status and the problem's words; a request that never got an answer, or whose answer was
 * cut off, has no status. */
export async function readOutcome<T>(request: () => Promise<Response>): Promise<Outcome<T>> {
  let response: Response
  try {
    response = await request()
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

/** The words to show for a failed request: the problem's detail (or title) from the server, or
 * the error's own message when no answer came. */
export function errorText(error: unknown): string | null {
  if (!error) return null
  if (error instanceof ApiError) return error.problem.detail ?? error.problem.title
  return error instanceof Error ? error.message : String(error)
}

/**
 * Sends a form (files) with the upload's progress, which fetch cannot report: the parsed JSON of
 * a successful answer, or an ApiError with the problem+json. For the grid import's upload.
 */
export function uploadForm<T>(path: string, form: FormData, onProgress: (sent: number, total: number) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', path)
    xhr.responseType = 'text'
    xhr.upload.onprogress = (event) => onProgress(event.loaded, event.lengthComputable ? event.total : 0)
    xhr.onerror = () => reject(new Error('The upload did not reach the server.'))
    xhr.onload = () => {
      let body: unknown = null
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null
      } catch {
        body = null
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T)
      else {
        const problem = body as Problem | null
        reject(new ApiError(problem?.title ? problem : { title: xhr.statusText || 'Request failed', status: xhr.status }))
      }
    }
    xhr.send(form)
  })
}

/** One step of long work on the server: `done` of `total` in a named stage. */
export interface ProgressStep {
  stage: string
  done: number
  total: number
}

/** The header that asks a route for its progress stream (server/http/progress-stream.ts). */
export const PROGRESS_HEADERS = { accept: 'application/x-ndjson' }

/**
 * Reads a progress stream: every step goes to `onStep`, and the last line's status and body (what
 * the route would have answered without the stream) are returned. An answer refused before the
 * stream started (a bad upload) is returned the same way; a stream cut off before its last line
 * throws.
 */
export async function readProgress(response: Response, onStep: (step: ProgressStep) => void): Promise<{ status: number; body: unknown }> {
  if (!response.ok || !response.body) return { status: response.status, body: await response.json().catch(() => null) }
  const lines = response.body.pipeThrough(new TextDecoderStream()).getReader()
  let buffered = ''
  for (;;) {
    const { value, done } = await lines.read()
    if (done) break
    buffered += value
    let end = buffered.indexOf('\n')
    while (end >= 0) {
      const line = JSON.parse(buffered.slice(0, end)) as ProgressStep | { status: number; body: unknown }
      buffered = buffered.slice(end + 1)
      if ('status' in line) return line
      onStep(line)
      end = buffered.indexOf('\n')
    }
  }
  throw new Error('The answer was cut off.')
}
