/**
 * RFC 9457 problem details: every error the API returns has this one shape, rendered in one
 * place (app.onError). Parameters that failed validation are listed by name in `invalidParams`
 * so a client can point at the field. Stack traces and SQL never reach the client.
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ZodError } from 'zod'

export interface InvalidParam {
  name: string
  reason: string
}

export class HttpProblem extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly title: string,
    readonly detail?: string,
    readonly invalidParams?: InvalidParam[],
    readonly extra?: Record<string, unknown>,
  ) {
    super(detail ?? title)
  }
}

export function renderProblem(c: Context, problem: HttpProblem): Response {
  return c.body(JSON.stringify(problemBody(c, problem)), problem.status, { 'content-type': 'application/problem+json; charset=utf-8' })
}

/** The problem+json document of a problem, for answers that carry it inside another (a progress stream's last line). */
export function problemBody(c: Context, problem: HttpProblem): Record<string, unknown> {
  return {
    type: 'about:blank',
    title: problem.title,
    status: problem.status,
    ...(problem.detail ? { detail: problem.detail } : {}),
    instance: new URL(c.req.url).pathname,
    ...(problem.invalidParams ? { invalidParams: problem.invalidParams } : {}),
    ...problem.extra,
  }
}

/** Turns a zod failure on request input into a 400 naming each bad parameter. */
export function invalidRequest(where: string, error: ZodError): HttpProblem {
  const invalidParams = error.issues.map((issue) => ({
    // Query parameters are flat (a list's item is still "status"); bodies keep nested paths.
    name: (where === 'query' ? String(issue.path[0] ?? '') : issue.path.join('.')) || where,
    reason: issue.message,
  }))
  const names = [...new Set(invalidParams.map((p) => p.name))].join(', ')
  return new HttpProblem(400, 'Invalid request', `Invalid ${where} parameter: ${names}. ${invalidParams[0]!.reason}`, invalidParams)
}

export function notFound(what: string, detail: string): HttpProblem {
  return new HttpProblem(404, `${what} not found`, detail)
}
