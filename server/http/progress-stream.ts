/**
 * Long work answered as it goes. A client that sends `Accept: application/x-ndjson` gets one JSON
 * line per step, `{"stage","done","total"}`, and a last line `{"status","body"}` holding what a
 * plain request would have answered (the result, or its problem+json). Steps go out at most four
 * times a second, but a stage's first and last always go. Input is checked before the stream
 * starts, so a bad upload is still its own 4xx; nginx is told not to buffer the stream.
 */
import type { Context } from 'hono'
import { stream } from 'hono/streaming'
import { log } from '../log.ts'
import { HttpProblem, problemBody } from './problem.ts'
import { writeWithin } from './stream-guard.ts'

export const NDJSON = 'application/x-ndjson'
const STEP_MS = 250
const WRITE_MS = 30_000

export type Progress = (stage: string, done: number, total: number) => void
export type Answer = { status: number; body: unknown }

export function wantsProgress(c: Context): boolean {
  return (c.req.header('accept') ?? '').includes(NDJSON)
}

export function streamProgress(c: Context, work: (progress: Progress) => Promise<Answer>): Response {
  c.header('content-type', `${NDJSON}; charset=utf-8`)
  c.header('cache-control', 'private, no-store')
  c.header('x-accel-buffering', 'no')
  return stream(c, async (out) => {
    let lastStage = ''
    let lastAt = 0
    let writing: Promise<unknown> = Promise.resolve()
    const write = (line: unknown) => {
      // A reader that stalls is cut after WRITE_MS (stream-guard.ts), as the exports are: nothing waits on it for ever.
      writing = writing.then(() => writeWithin(c, out, `${JSON.stringify(line)}\n`, WRITE_MS)).catch(() => false)
    }
    const progress: Progress = (stage, done, total) => {
      const now = Date.now()
      if (stage === lastStage && done < total && now - lastAt < STEP_MS) return
      lastStage = stage
      lastAt = now
      write({ stage, done, total })
    }
    let answer: Answer
    try {
      answer = await work(progress)
    } catch (error) {
      if (!(error instanceof HttpProblem)) log.error({ err: error, method: c.req.method, path: new URL(c.req.url).pathname }, 'request failed')
      const problem = error instanceof HttpProblem ? error : new HttpProblem(500, 'Internal error', 'The server could not complete the request.')
      answer = { status: problem.status, body: problemBody(c, problem) }
    }
    write(answer)
    await writing
  })
}
