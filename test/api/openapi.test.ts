/**
 * The OpenAPI 3.1 document at /api/openapi.json: every route the app registers under /api and
 * /tiles is in it, described (a new route without `describeRoute(…)` fails here); it validates
 * against the OpenAPI 3.1 schema (@seriousme/openapi-schema-validator); its parameters and bodies
 * are the routes' own zod schemas (a request breaking a documented limit gets the 400 naming it);
 * security and problem+json answers follow each route's access level; it and the reference page's
 * files are public, and nothing outside the page's allow-list is served.
 */
import { Validator } from '@seriousme/openapi-schema-validator'
import type { OpenAPIV3_1 } from 'openapi-types'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app.ts'
import { commanderHeaders } from '../support/auth.ts'
import { connectTestDatabase } from '../support/database.ts'

const db = connectTestDatabase()
afterAll(() => db.close())
const app = createApp(db)
let doc: OpenAPIV3_1.Document
type Operation = OpenAPIV3_1.OperationObject

beforeAll(async () => {
  const res = await app.request('/api/openapi.json') // no session: the document is public
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^application\/json/)
  doc = (await res.json()) as OpenAPIV3_1.Document
})

/** Hono's `/incidents/:id` as OpenAPI's `/incidents/{id}`. */
const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?\??/g, '{$1}')
const operationOf = (path: string, method: string) => (doc.paths?.[path] as Record<string, Operation> | undefined)?.[method]

function operations(): [string, string, Operation][] {
  return Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Operation>).map(([method, op]) => [path, method, op] as [string, string, Operation]),
  )
}

describe('the OpenAPI document', () => {
  it('has every route registered under /api and /tiles, each with a summary, a tag and a success answer', () => {
    const routes = new Set(app.routes.filter((r) => r.method !== 'ALL' && /^\/(api|tiles)\//.test(r.path)).map((r) => `${r.method.toLowerCase()} ${r.path}`))
    expect(routes.size).toBeGreaterThan(50)
    const missing: string[] = []
    for (const route of routes) {
      const [method, path] = route.split(' ') as [string, string]
      const op = operationOf(openApiPath(path), method)
      if (!op?.summary || !op.tags?.length || !Object.keys(op.responses ?? {}).some((s) => /^2|^3/.test(s))) missing.push(route)
    }
    expect(missing, 'routes without describeRoute({ tag, summary, … }) (see server/http/describe.ts)').toEqual([])
    // And nothing documented that the app does not serve.
    const documented = operations().map(([path, method]) => `${method} ${path}`)
    const served = new Set([...routes].map((r) => r.replace(/ (.*)$/, (_, p: string) => ` ${openApiPath(p)}`)))
    expect(documented.filter((d) => !served.has(d))).toEqual([])
  })

  it('validates as OpenAPI 3.1', async () => {
    expect(doc.openapi).toBe('3.1.0')
    const validator = new Validator()
    const result = await validator.validate(doc as never)
    expect(result.errors ?? [], JSON.stringify(result.errors)?.slice(0, 2000)).toEqual([])
    expect(result.valid).toBe(true)
    expect(validator.version).toBe('3.1')
  })

  it('resolves every $ref, and every error answer is problem+json', () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? []
    expect(refs.length).toBeGreaterThan(100)
    for (const ref of new Set(refs)) {
      const pointer = ref.slice(8, -1)
      expect(pointer).toMatch(/^#\/components\//)
      const target = pointer
        .slice(2)
        .split('/')
        .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc)
      expect(target, pointer).toBeDefined()
    }
    for (const [name, response] of Object.entries(doc.components?.responses ?? {})) {
      expect(Object.keys((response as OpenAPIV3_1.ResponseObject).content ?? {}), name).toEqual(['application/problem+json'])
    }
    for (const [path, method, op] of operations()) {
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        if (Number(status) >= 400) expect((response as OpenAPIV3_1.ReferenceObject).$ref, `${method} ${path} ${status}`).toMatch(/^#\/components\/responses\//)
      }
    }
  })

  it('declares every path parameter, required, once', () => {
    for (const [path, method, op] of operations()) {
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1])
      const declared = (op.parameters ?? []).map((p) => p as OpenAPIV3_1.ParameterObject).filter((p) => p.in === 'path')
      expect(
        declared.map((p) => p.name),
        `${method} ${path}`,
      ).toEqual(names)
      for (const p of declared) expect(p.required, `${method} ${path} ${p.name}`).toBe(true)
    }
  })

  it('states who may call each route: sessions and API tokens read, sessions write, some routes public', () => {
    const schemes = doc.components?.securitySchemes as Record<string, OpenAPIV3_1.SecuritySchemeObject>
    expect(schemes.session).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'gridscope_session' })
    expect(schemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' })
    expect(operationOf('/api/incidents', 'get')?.security).toEqual([{ session: [] }, { bearer: [] }])
    expect(operationOf('/api/incidents', 'get')?.responses).toHaveProperty('401')
    expect(operationOf('/api/incidents', 'post')?.security).toEqual([{ session: [] }])
    expect(operationOf('/api/incidents', 'post')?.responses).toHaveProperty('403')
    expect(operationOf('/api/health', 'get')?.security).toEqual([])
    expect(operationOf('/api/auth/login', 'post')?.security).toEqual([])
    for (const [path, method, op] of operations()) {
      if (method !== 'get') expect(op.security, `${method} ${path}: API tokens never write`).not.toContainEqual({ bearer: [] })
    }
  })

  it('takes parameters and bodies from the routes’ own validation, which answers what it documents', async () => {
    const report = operationOf('/api/incidents', 'post')!
    const body = (report.requestBody as OpenAPIV3_1.RequestBodyObject).content['application/json']!.schema as OpenAPIV3_1.SchemaObject
    expect(body.required).toEqual(expect.arrayContaining(['category', 'severity', 'title', 'location']))
    const severity = body.properties!.severity as OpenAPIV3_1.SchemaObject
    expect(severity).toMatchObject({ type: 'integer', maximum: 4 })
    expect(report.responses).toHaveProperty('201')
    expect(report.responses?.['400']).toEqual({ $ref: '#/components/responses/BadRequest' })

    // The route refuses exactly past the documented maximum, naming the field.
    const headers = await commanderHeaders(db, { 'content-type': 'application/json' })
    const tooSevere = { category: 'safety.fire', severity: (severity.maximum as number) + 1, title: 'x', location: { lon: 111.2, lat: 21.5 } }
    const res = await app.request('/api/incidents', { method: 'POST', headers, body: JSON.stringify(tooSevere) })
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(((await res.json()) as { invalidParams: { name: string }[] }).invalidParams.map((p) => p.name)).toContain('severity')

    const list = operationOf('/api/incidents', 'get')!
    const query = (list.parameters as OpenAPIV3_1.ParameterObject[]).filter((p) => p.in === 'query').map((p) => p.name)
    expect(query).toEqual(expect.arrayContaining(['bbox', 'grid', 'status', 'limit', 'cursor']))
    const limit = (list.parameters as OpenAPIV3_1.ParameterObject[]).find((p) => p.name === 'limit')!.schema as OpenAPIV3_1.SchemaObject
    const tooMany = await app.request(`/api/incidents?limit=${Number(limit.maximum) + 1}`, { headers })
    expect(tooMany.status).toBe(400)
    expect(((await tooMany.json()) as { invalidParams: { name: string }[] }).invalidParams[0]!.name).toBe('limit')
  })

  it('serves the reference page and its files without a session, and nothing else under /api/docs', async () => {
    const page = await app.request('/api/docs')
    expect(page.status).toBe(200)
    const html = await page.text()
    const assets = [...html.matchAll(/(?:src|href)="(\/api\/docs\/[^"]+)"/g)].map((m) => m[1]!)
    expect(assets).toEqual(expect.arrayContaining(['/api/docs/swagger-ui-bundle.js', '/api/docs/swagger-ui.css', '/api/docs/docs.js']))
    expect(html).not.toMatch(/<script>(?!<)|<script(?![^>]*src)[^>]*>/) // no inline script: the CSP allows only files
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//)
    for (const asset of assets) {
      const res = await app.request(asset)
      expect(res.status, asset).toBe(200)
      expect((await res.arrayBuffer()).byteLength, asset).toBeGreaterThan(100)
    }
    for (const path of ['/api/docs/package.json', '/api/docs/swagger-ui.css.map', '/api/docs/index.html']) {
      const res = await app.request(path)
      expect(res.status, path).toBe(404)
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    }
  })
})
