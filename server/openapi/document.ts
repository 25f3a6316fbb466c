/**
 * The OpenAPI 3.1 document of the whole API, built from the running app's routes: hono-openapi
 * walks `app.routes`, takes parameters and bodies from each route's zod validators and the rest
 * from its `describe(…)` (server/http/describe.ts). Here: the product's info, the two ways in
 * (session cookie, API token), the problem+json answers every error shares, and each operation's
 * access level turned into its security requirement and the errors that level can give.
 */
import type { Hono } from 'hono'
import { generateSpecs } from 'hono-openapi'
import type { OpenAPIV3_1 } from 'openapi-types'
import { SESSION_COOKIE } from '../access/sessions.ts'
import { ACCESS_KEY, type Access, accessErrors, PROBLEM_RESPONSES, problemRef, securityOf } from '../http/describe.ts'

const PROBLEM_TITLES: Record<keyof typeof PROBLEM_RESPONSES, string> = {
  400: 'Invalid request: `invalidParams` names each bad parameter.',
  401: 'Sign-in required, the session ended, or the API token is unknown, revoked or expired.',
  403: 'The role may not do this (read-only roles and API tokens may not write), or a cross-site write.',
  404: "Nothing of that id within the viewer's scope.",
  406: 'None of the media types in Accept can be served.',
  409: 'The request conflicts with the current state (a step not allowed now, a duplicate).',
  413: 'The request body is too large.',
  415: "The body's media type (or a file's content) is not one accepted here.",
  422: "Well-formed but not acceptable (a place outside the viewer's cell, a step without its required photo).",
  429: 'Too many requests: wait `Retry-After` seconds.',
  503: 'The database is not answering or the server is busy: retry after `Retry-After` seconds.',
}

const PROBLEM_SCHEMA: OpenAPIV3_1.SchemaObject = {
  type: 'object',
  description: 'RFC 9457 problem details.',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string', examples: ['about:blank'] },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    detail: { type: 'string' },
    instance: { type: 'string', description: 'The request path.' },
    invalidParams: {
      type: 'array',
      items: { type: 'object', required: ['name', 'reason'], properties: { name: { type: 'string' }, reason: { type: 'string' } } },
    },
    retryAfter: { type: 'integer', description: 'Seconds to wait (429, 503), as in the Retry-After header.' },
  },
}

const TAGS: OpenAPIV3_1.TagObject[] = [
  { name: 'meta', description: 'The product, its health and this document' },
  { name: 'auth', description: 'Signing in and out (session cookie)' },
  { name: 'grids', description: 'The five-level grid: cells, search, geometry, tiles' },
  { name: 'incidents', description: 'Incidents (cases): lists, reports, the case loop, parties' },
  { name: 'analytics', description: 'Roll-ups, points and exports for analysts' },
  { name: 'notices', description: 'Area notices to grid persons' },
  { name: 'field-work', description: 'Photos, patrols and coverage by grid workers' },
  { name: 'evaluation', description: 'Monthly and weekly evaluation of cells and workers' },
  { name: 'live', description: 'Server-sent live feed' },
  { name: 'wall', description: 'The wall display' },
  { name: 'imports', description: 'Importing a county’s base data: households, people, grid workers, party organisations' },
  { name: 'admin', description: 'Departments, API tokens and the audit log' },
]

export async function buildOpenApiDocument(app: Hono, version: string): Promise<OpenAPIV3_1.Document> {
  const document = (await generateSpecs(app, {
    documentation: {
      openapi: '3.1.0',
      info: {
        title: 'Gridscope API (网格态势)',
        version,
        description:
          "The API behind the Gridscope map of five-level grid governance. Every request is inside the caller's scope (a grid cell and its subtree); residents' names, phones and ID numbers are masked unless revealed with a reason. Errors are RFC 9457 problem+json. GIS clients: the OGC API – Features at /ogc has its own OpenAPI 3.0 document at /ogc/api.",
      },
      servers: [{ url: '/', description: 'This server' }],
      tags: TAGS,
      components: {
        securitySchemes: {
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: SESSION_COOKIE,
            description: 'The session cookie set by POST /api/auth/login (HttpOnly, SameSite=Strict).',
          },
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description:
              'An API token (npm run user -- api-token add …): read-only, within its role and scope, limited per token; reads of personal data are audited.',
          },
        },
        schemas: { Problem: PROBLEM_SCHEMA },
        responses: problemResponses(),
      },
    },
    exclude: [/^\/(?!api\/|tiles\/)/],
    excludeStaticFile: false,
    defaultValidationErrorResponse: problemRef(400),
  } as never)) as OpenAPIV3_1.Document
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(item ?? {}) as [string, OpenAPIV3_1.OperationObject & Record<string, unknown>][]) {
      settleAccess(path, method, operation)
    }
  }
  return document
}

/** Security and the access-level errors of one operation; a path parameter's schema for each {name}. */
function settleAccess(path: string, method: string, operation: OpenAPIV3_1.OperationObject & Record<string, unknown>): void {
  const access = (operation[ACCESS_KEY] as Access | undefined) ?? (method === 'get' ? 'read' : 'write')
  delete operation[ACCESS_KEY]
  operation.security = securityOf(access)
  const responses = (operation.responses ??= {})
  for (const status of accessErrors(access)) responses[String(status)] ??= problemRef(status)
  if (path.includes('{')) responses['404'] ??= problemRef(404)
}

function problemResponses(): Record<string, OpenAPIV3_1.ResponseObject> {
  const responses: Record<string, OpenAPIV3_1.ResponseObject> = {}
  for (const [status, name] of Object.entries(PROBLEM_RESPONSES)) {
    const retry = status === '429' || status === '503'
    responses[name] = {
      description: PROBLEM_TITLES[Number(status) as keyof typeof PROBLEM_RESPONSES],
      ...(retry ? { headers: { 'Retry-After': { description: 'Seconds to wait.', schema: { type: 'integer' } } } } : {}),
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    }
  }
  return responses
}
