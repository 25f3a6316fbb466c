/**
 * How a route documents itself in the OpenAPI document at /api/openapi.json: put
 * `describeRoute({ tag, summary, … })` first in the route's handlers. Parameters and bodies come from
 * the route's `validate(…)` schemas by themselves; this adds what a schema cannot say: the
 * summary, who may call it (the security requirement), the success answer and the
 * problem+json errors it can give. test/api/openapi.test.ts fails for a route without one.
 *
 *   .get('/:id', describeRoute({ tag: 'incidents', summary: 'One incident', errors: [404] }), validate('param', P), handler)
 */
import { describeRoute as describeOperation } from 'hono-openapi'
import type { OpenAPIV3_1 } from 'openapi-types'

/** Who may call the route: anyone, any signed-in viewer or API token (reads), or a signed-in user who may write. */
export type Access = 'public' | 'read' | 'session' | 'write'

/** Error statuses a route answers with problem+json; each names a response in components.responses. */
export const PROBLEM_RESPONSES = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  406: 'NotAcceptable',
  409: 'Conflict',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
  422: 'UnprocessableContent',
  429: 'TooManyRequests',
  503: 'ServiceUnavailable',
} as const
export type ErrorStatus = keyof typeof PROBLEM_RESPONSES

export interface Success {
  /** 200 unless given (201 for a creation, 204 for no content). */
  status?: 200 | 201 | 202 | 204 | 304
  description: string
  /** Media type(s) of the body; application/json unless given. */
  type?: string | string[]
  /** JSON Schema of the body (a plain object is enough: `{ type: 'object' }` by default for JSON). */
  schema?: OpenAPIV3_1.SchemaObject | OpenAPIV3_1.ReferenceObject
}

export interface RouteDoc {
  /** The capability, as in server/<capability>/: groups the operations in /api/docs. */
  tag: string
  summary: string
  description?: string
  /** Default: 'read' for GET (session cookie or API token), 'write' for other methods (session cookie, a role that may write). */
  access?: Access
  ok?: Success
  /** Statuses beyond the ones every route of its access level can give (400 comes with validation). */
  errors?: ErrorStatus[]
}

/** Where describe() leaves the access level for the document builder, which removes it. */
export const ACCESS_KEY = 'x-gridscope-access'

/** Errors any route of the access level can answer. */
const ACCESS_ERRORS: Record<Access, ErrorStatus[]> = {
  public: [503],
  read: [401, 429, 503],
  session: [401, 503],
  write: [401, 403, 413, 429, 503],
}

const SECURITY: Record<Access, OpenAPIV3_1.SecurityRequirementObject[] | undefined> = {
  public: [],
  read: [{ session: [] }, { bearer: [] }],
  session: [{ session: [] }],
  write: [{ session: [] }],
}

export function describeRoute(doc: RouteDoc) {
  return describeOperation({
    tags: [doc.tag],
    summary: doc.summary,
    ...(doc.description ? { description: doc.description } : {}),
    // The default access depends on the method, known when the document is built (server/openapi/document.ts).
    ...(doc.access ? { [ACCESS_KEY]: doc.access } : {}),
    responses: responsesOf(doc),
  } as never)
}

function responsesOf(doc: RouteDoc): Record<string, OpenAPIV3_1.ResponseObject | OpenAPIV3_1.ReferenceObject> {
  const ok = doc.ok ?? { description: 'OK' }
  const types = [ok.type ?? 'application/json'].flat()
  const content = Object.fromEntries(types.map((type) => [type, { schema: ok.schema ?? (type.endsWith('json') ? { type: 'object' } : { type: 'string' }) }]))
  const responses: Record<string, OpenAPIV3_1.ResponseObject | OpenAPIV3_1.ReferenceObject> = {
    [String(ok.status ?? 200)]: ok.status === 204 || ok.status === 304 ? { description: ok.description } : { description: ok.description, content },
  }
  for (const status of doc.errors ?? []) responses[String(status)] = problemRef(status)
  return responses
}

export function problemRef(status: ErrorStatus): OpenAPIV3_1.ReferenceObject {
  return { $ref: `#/components/responses/${PROBLEM_RESPONSES[status]}` }
}

/** The access-level errors, added when the document is built (the method decides the default level). */
export function accessErrors(access: Access): ErrorStatus[] {
  return ACCESS_ERRORS[access]
}

export function securityOf(access: Access): OpenAPIV3_1.SecurityRequirementObject[] {
  return SECURITY[access] ?? []
}
