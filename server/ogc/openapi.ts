/**
 * /ogc/api: the OpenAPI 3.0 document of the OGC API – Features endpoints (Part 1 oas30), listing
 * every path, the collections as an enum and the parameters each items request takes.
 */
import { COLLECTIONS } from './collections.ts'

const param = (name: string, description: string, schema: object, where = 'query') => ({ name, in: where, required: where === 'path', description, schema })

export function openApiDocument(base: string): object {
  const collectionId = param('collectionId', 'Collection', { type: 'string', enum: COLLECTIONS.map((c) => c.id) }, 'path')
  const fParam = param('f', 'Format', { type: 'string', enum: ['json', 'html'] })
  const json = (description: string, type = 'application/json') => ({ description, content: { [type]: { schema: { type: 'object' } } } })
  const errors = {
    400: json('Invalid request', 'application/problem+json'),
    401: json('Sign-in or API token required', 'application/problem+json'),
    404: json('Not found', 'application/problem+json'),
    406: json('The Accept header allows none of the formats served (f= chooses one and wins over Accept)', 'application/problem+json'),
  }
  const propertyParams = [
    ...new Set(
      COLLECTIONS.flatMap((c) =>
        Object.entries(c.queryables)
          .filter(([, q]) => q.param)
          .map(([n]) => n),
      ),
    ),
  ]
  return {
    openapi: '3.0.3',
    info: {
      title: 'Gridscope 网格态势 – OGC API Features',
      version: '1.0.0',
      description: 'Grid cells by level and incidents within the caller’s scope (parties masked).',
    },
    servers: [{ url: `${base}/ogc` }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths: {
      '/': { get: { operationId: 'getLandingPage', parameters: [fParam], responses: { 200: json('Landing page'), ...errors } } },
      '/conformance': { get: { operationId: 'getConformance', parameters: [fParam], responses: { 200: json('Conformance classes'), ...errors } } },
      '/api': { get: { operationId: 'getApi', responses: { 200: json('This document', 'application/vnd.oai.openapi+json;version=3.0') } } },
      '/collections': { get: { operationId: 'getCollections', parameters: [fParam], responses: { 200: json('Collections'), ...errors } } },
      '/collections/{collectionId}': {
        get: { operationId: 'describeCollection', parameters: [collectionId, fParam], responses: { 200: json('Collection'), ...errors } },
      },
      '/collections/{collectionId}/queryables': {
        get: { operationId: 'getQueryables', parameters: [collectionId, fParam], responses: { 200: json('Queryables', 'application/schema+json'), ...errors } },
      },
      '/collections/{collectionId}/items': {
        get: {
          operationId: 'getFeatures',
          parameters: [
            collectionId,
            fParam,
            param('limit', 'Features per page (default 10; larger than 10000 is clamped)', { type: 'integer', minimum: 1, default: 10 }),
            {
              ...param('bbox', 'minLon,minLat[,minZ],maxLon,maxLat[,maxZ] in CRS84', { type: 'array', minItems: 4, maxItems: 6, items: { type: 'number' } }),
              style: 'form',
              explode: false,
            },
            param('datetime', 'Instant or interval (.. for an open end); incidents: reported_at', { type: 'string' }),
            param('filter', 'CQL2 text', { type: 'string' }),
            param('filter-lang', 'Filter language', { type: 'string', enum: ['cql2-text'] }),
            param('after', 'Keyset cursor (from a next link)', { type: 'string' }),
            ...propertyParams.map((n) => param(n, `Property ${n} equals (collections that have it)`, { type: 'string' })),
          ],
          responses: { 200: json('Features', 'application/geo+json'), ...errors },
        },
      },
      '/collections/{collectionId}/items/{featureId}': {
        get: {
          operationId: 'getFeature',
          parameters: [collectionId, param('featureId', 'Feature id', { type: 'string' }, 'path'), fParam],
          responses: { 200: json('Feature', 'application/geo+json'), ...errors },
        },
      },
    },
  }
}
