/**
 * OGC API – Features at /ogc (Part 1 core, geojson, html, oas30; Part 3 queryables and CQL2
 * text filters): the grid levels and the incidents as collections, for QGIS, GDAL's OAPIF driver
 * and anyone with a browser. Reached with a session or an API token (the access guard), each
 * viewer seeing incidents and their figures within their scope, parties masked.
 */
import { createHash } from 'node:crypto'
import { Hono, type Context } from 'hono'
import { viewerScope } from '../access/scope.ts'
import type { Sql } from '../db/connect.ts'
import { HttpProblem } from '../http/problem.ts'
import { COLLECTIONS, findCollection, type Collection } from './collections.ts'
import { readExtent, readFeature, readFeaturePage } from './features.ts'
import { renderHtml, type Lang } from './html.ts'
import { badParam, isItemsParam, parseItemsQuery } from './items-query.ts'
import { negotiateFormat, type Format } from './negotiate.ts'
import { openApiDocument } from './openapi.ts'

const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables-query-parameters',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/filter',
  'http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/features-filter',
  'http://www.opengis.net/spec/cql2/1.0/conf/cql2-text',
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-cql2',
  'http://www.opengis.net/spec/cql2/1.0/conf/basic-spatial-functions',
  'http://www.opengis.net/spec/cql2/1.0/conf/temporal-functions',
]
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84'
const DOC_PARAMS = new Set(['f', 'lang'])
const OPENAPI_TYPE = 'application/vnd.oai.openapi+json;version=3.0'

function formatOf(c: Context, jsonType: string): Format {
  return negotiateFormat(c.req.query('f'), c.req.header('accept'), jsonType, () => badParam('f', 'Expected json or html.'))
}

function langOf(c: Context): Lang {
  const lang = c.req.query('lang')
  if (lang !== undefined && lang !== 'zh' && lang !== 'en') throw badParam('lang', 'Expected zh or en.')
  return lang ?? (/^en/i.test(c.req.header('accept-language') ?? '') ? 'en' : 'zh')
}

/**
 * A document takes f and lang; the items parameters of its collection (of any, above the
 * collections) are ignored rather than refused: GDAL sends the query of a filtered URL it opened
 * with every request, the landing page and collection description included.
 */
function onlyDocParams(c: Context, collections: readonly Collection[] = COLLECTIONS): void {
  for (const name of new URL(c.req.url).searchParams.keys()) {
    if (!DOC_PARAMS.has(name) && !isItemsParam(collections, name)) throw badParam(name, 'Unknown parameter; this path takes f and lang.')
  }
}

function baseOf(c: Context): string {
  const url = new URL(c.req.url)
  const proto = c.req.header('x-forwarded-proto') === 'https' ? 'https:' : url.protocol
  return `${proto}//${url.host}`
}

/** Answers a document as JSON (with an ETag, 304 on a match) or HTML. */
function answer(c: Context, doc: Record<string, unknown>, jsonType: string, heading: string, body?: string): Response {
  if (formatOf(c, jsonType) === 'html') {
    return c.html(renderHtml(doc as never, langOf(c), c.req.url, heading), 200, { 'cache-control': 'private, no-cache', vary: 'accept, authorization, cookie' })
  }
  const text = body ?? JSON.stringify(doc)
  const etag = `"${createHash('sha1').update(text).digest('base64url')}"`
  const headers = { etag, 'cache-control': 'private, no-cache', vary: 'accept, authorization, cookie' }
  if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers)
  return c.body(text, 200, { ...headers, 'content-type': jsonType })
}

function links(base: string, path: string, title: string, geo = false) {
  const url = `${base}${path}`
  const type = geo ? 'application/geo+json' : 'application/json'
  return [
    { href: `${url}?f=json`, rel: 'self', type, title },
    { href: `${url}?f=html`, rel: 'alternate', type: 'text/html', title: `${title} (HTML)` },
  ]
}

async function collectionDoc(sql: Sql, base: string, collection: Collection, scope: string, lang: Lang) {
  const extent = await readExtent(sql, collection, scope)
  const path = `/ogc/collections/${collection.id}`
  return {
    id: collection.id,
    title: lang === 'en' ? collection.titleEn : collection.titleZh,
    description:
      collection.level === null
        ? lang === 'en'
          ? 'Incidents within your scope; parties masked.'
          : '您权限范围内的事件；当事人信息已脱敏。'
        : lang === 'en'
          ? `Grid level ${collection.level} with households, population and incident figures.`
          : `第 ${collection.level} 级网格，含户数、人口与事件统计。`,
    itemType: 'feature',
    crs: [CRS84],
    storageCrs: CRS84,
    extent: {
      spatial: { bbox: extent.bbox ? [extent.bbox] : [], crs: CRS84 },
      ...(extent.interval ? { temporal: { interval: [extent.interval], trs: 'http://www.opengis.net/def/uom/ISO-8601/0/Gregorian' } } : {}),
    },
    links: [
      ...links(base, path, collection.titleEn),
      { href: `${base}${path}/items?f=json`, rel: 'items', type: 'application/geo+json', title: 'Items' },
      { href: `${base}${path}/items?f=html`, rel: 'items', type: 'text/html', title: 'Items (HTML)' },
      {
        href: `${base}${path}/queryables?f=json`,
        rel: 'http://www.opengis.net/def/rel/ogc/1.0/queryables',
        type: 'application/schema+json',
        title: 'Queryables',
      },
    ],
  }
}

function collectionOf(c: Context): Collection {
  const collection = findCollection(c.req.param('collectionId') ?? '')
  if (!collection) throw new HttpProblem(404, 'Not found', 'No such collection; see /ogc/collections.')
  return collection
}

export function ogcRoutes(sql: Sql) {
  return new Hono()
    .get('/', (c) => {
      onlyDocParams(c)
      const base = baseOf(c)
      const en = langOf(c) === 'en'
      return answer(
        c,
        {
          title: en ? 'Gridscope – OGC API Features' : '网格态势 – OGC API 要素服务',
          description: en ? 'Grid cells by level and incidents within your scope.' : '按级别的网格与权限范围内的事件。',
          links: [
            ...links(base, '/ogc', 'Landing page'),
            { href: `${base}/ogc/api`, rel: 'service-desc', type: 'application/vnd.oai.openapi+json;version=3.0', title: 'OpenAPI 3.0' },
            { href: `${base}/ogc/conformance?f=json`, rel: 'conformance', type: 'application/json', title: 'Conformance' },
            { href: `${base}/ogc/conformance?f=html`, rel: 'conformance', type: 'text/html', title: 'Conformance (HTML)' },
            { href: `${base}/ogc/collections?f=json`, rel: 'data', type: 'application/json', title: 'Collections' },
            { href: `${base}/ogc/collections?f=html`, rel: 'data', type: 'text/html', title: 'Collections (HTML)' },
          ],
        },
        'application/json',
        'OGC API',
      )
    })
    .get('/conformance', (c) => {
      onlyDocParams(c)
      return answer(
        c,
        { title: 'Conformance', conformsTo: CONFORMANCE, links: links(baseOf(c), '/ogc/conformance', 'Conformance') },
        'application/json',
        'Conformance',
      )
    })
    .get('/api', (c) => {
      onlyDocParams(c)
      const doc = openApiDocument(baseOf(c)) as Record<string, unknown>
      if (formatOf(c, OPENAPI_TYPE) === 'html') {
        const paths = Object.keys(doc.paths as object).map((p) => ({ href: `${baseOf(c)}/ogc${p === '/' ? '' : p}`, rel: 'item', title: p }))
        return answer(
          c,
          { title: 'OpenAPI 3.0', links: [{ href: `${baseOf(c)}/ogc/api?f=json`, rel: 'self', type: 'application/json', title: 'JSON' }, ...paths] },
          'application/json',
          'OpenAPI',
        )
      }
      return answer(c, doc, OPENAPI_TYPE, 'OpenAPI')
    })
    .get('/collections', async (c) => {
      onlyDocParams(c)
      const base = baseOf(c)
      const lang = langOf(c)
      const scope = viewerScope(c)
      const collections = await Promise.all(COLLECTIONS.map((col) => collectionDoc(sql, base, col, scope, lang)))
      return answer(
        c,
        { title: lang === 'en' ? 'Collections' : '数据集', links: links(base, '/ogc/collections', 'Collections'), collections },
        'application/json',
        'Collections',
      )
    })
    .get('/collections/:collectionId', async (c) => {
      const collection = collectionOf(c)
      onlyDocParams(c, [collection])
      return answer(c, await collectionDoc(sql, baseOf(c), collection, viewerScope(c), langOf(c)), 'application/json', collection.id)
    })
    .get('/collections/:collectionId/queryables', (c) => {
      const collection = collectionOf(c)
      onlyDocParams(c, [collection])
      const base = baseOf(c)
      const properties: Record<string, object> = { geometry: { $ref: 'https://geojson.org/schema/Geometry.json', title: 'Geometry' } }
      if (collection.temporal) properties.datetime = { type: 'string', format: 'date-time', title: 'reported_at' }
      for (const [name, q] of Object.entries(collection.queryables)) {
        properties[name] = q.type === 'datetime' ? { type: 'string', format: 'date-time', title: q.title } : { type: q.type, title: q.title }
      }
      return answer(
        c,
        {
          $schema: 'https://json-schema.org/draft/2020-12/schema',
          $id: `${base}/ogc/collections/${collection.id}/queryables`,
          type: 'object',
          title: collection.titleEn,
          properties,
          additionalProperties: false,
          links: links(base, `/ogc/collections/${collection.id}/queryables`, 'Queryables'),
        },
        'application/schema+json',
        'Queryables',
      )
    })
    .get('/collections/:collectionId/items', async (c) => {
      const collection = collectionOf(c)
      const params = new URL(c.req.url).searchParams
      const query = parseItemsQuery(sql, collection, params)
      const format = formatOf(c, 'application/geo+json')
      langOf(c) // refuses a bad lang in JSON too (it is echoed in the links)
      const page = await readFeaturePage(sql, collection, viewerScope(c), query)
      const base = baseOf(c)
      const path = `/ogc/collections/${collection.id}/items`
      const pageLink = (f: Format, after: string | null) => {
        const p = new URLSearchParams(params)
        p.set('f', f)
        if (after === null) p.delete('after')
        else p.set('after', after)
        return `${base}${path}?${p}`
      }
      const current = params.get('after')
      const linkList = [
        { href: pageLink('json', current), rel: 'self', type: 'application/geo+json', title: 'This page' },
        { href: pageLink('html', current), rel: 'alternate', type: 'text/html', title: 'This page (HTML)' },
        { href: `${base}/ogc/collections/${collection.id}?f=json`, rel: 'collection', type: 'application/json', title: collection.titleEn },
        ...(page.lastId !== null
          ? [
              { href: pageLink('json', page.lastId), rel: 'next', type: 'application/geo+json', title: 'Next page' },
              { href: pageLink('html', page.lastId), rel: 'next', type: 'text/html', title: 'Next page (HTML)' },
            ]
          : []),
      ]
      const timeStamp = new Date().toISOString()
      const head = { type: 'FeatureCollection', numberMatched: page.numberMatched, numberReturned: page.features.length, links: linkList }
      if (format === 'html') {
        return answer(
          c,
          { ...head, title: collection.titleZh, timeStamp, features: page.features.map((f) => JSON.parse(f)) },
          'application/geo+json',
          collection.id,
        )
      }
      // ETag over the features and counts, not the time stamp: an unchanged page keeps its tag.
      const featuresText = page.features.join(',')
      const content = `${JSON.stringify(head)}\n${featuresText}`
      const etag = `"${createHash('sha1').update(content).digest('base64url')}"`
      const headers = { etag, 'cache-control': 'private, no-cache', vary: 'accept, authorization, cookie' }
      if (c.req.header('if-none-match') === etag) return c.body(null, 304, headers)
      const body = `${JSON.stringify({ ...head, timeStamp }).slice(0, -1)},"features":[${featuresText}]}`
      return c.body(body, 200, { ...headers, 'content-type': 'application/geo+json' })
    })
    .get('/collections/:collectionId/items/:featureId', async (c) => {
      const collection = collectionOf(c)
      onlyDocParams(c, [collection])
      const feature = await readFeature(sql, collection, viewerScope(c), c.req.param('featureId'))
      if (!feature) throw new HttpProblem(404, 'Not found', `No such feature in ${collection.id} (or it is outside your scope).`)
      const base = baseOf(c)
      const path = `/ogc/collections/${collection.id}/items/${encodeURIComponent(c.req.param('featureId'))}`
      const doc = JSON.parse(feature) as Record<string, unknown>
      const linkList = [
        ...links(base, path, 'Feature', true),
        { href: `${base}/ogc/collections/${collection.id}?f=json`, rel: 'collection', type: 'application/json', title: collection.titleEn },
      ]
      const text = `${feature.slice(0, -1)},"links":${JSON.stringify(linkList)}}`
      return answer(c, { ...doc, title: `${collection.titleZh} ${c.req.param('featureId')}`, links: linkList }, 'application/geo+json', collection.id, text)
    })
}
