/**
 * Open311 answers in both formats the GeoReport v2 specification names: JSON, and XML (the
 * required one) as a well-formed UTF-8 document without a namespace. The XML follows the
 * specification's examples, which are the Spark convention's mapping of the JSON: a list under a
 * key becomes a wrapper element with one child per item (`services` → `service`,
 * `attributes` → `attribute`, …). Errors are the specification's `[{ code, description }]` /
 * `<errors><error>…`, with the HTTP status as the code. The XML is built with xmlbuilder2, which
 * escapes text; characters XML 1.0 cannot carry (control characters, lone surrogates) are replaced
 * here by U+FFFD, so no stored text can break a document (one regular expression: xmlbuilder2's
 * own replacement option doubled the time of a 1,000-request answer).
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { create } from 'xmlbuilder2'
import type { XMLBuilder } from 'xmlbuilder2/lib/interfaces'

export type Format = 'json' | 'xml'

const CONTENT_TYPE: Record<Format, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
}

/** Characters outside XML 1.0's Char production (a lone surrogate is one code point under /u). */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/** The element name of each item of a list, by the list's name. */
const ITEM_NAMES: Record<string, string> = {
  services: 'service',
  attributes: 'attribute',
  values: 'value',
  endpoints: 'endpoint',
  formats: 'format',
  service_requests: 'request',
  errors: 'error',
}

/** An error a client of Open311 reads: the HTTP status and what was wrong, naming the field. */
export class Open311Error extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly description: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(description)
  }
}

/** `name.json` / `name.xml` → its name and format; null for any other ending. */
export function splitFormat(file: string): { name: string; format: Format } | null {
  const match = /^(.+)\.(json|xml)$/.exec(file)
  return match ? { name: match[1]!, format: match[2] as Format } : null
}

/** The format a path asks for: JSON when it ends in .json, else XML (the required format). */
export function formatOfPath(path: string): Format {
  return path.endsWith('.json') ? 'json' : 'xml'
}

/** A document as text in the format: `root` names the XML root (and the list's items). */
export function renderDocument(root: string, value: unknown, format: Format): string {
  if (format === 'json') return JSON.stringify(value)
  const doc = create({ version: '1.0', encoding: 'UTF-8' })
  appendValue(doc.ele(root), root, value)
  return doc.end({ prettyPrint: false })
}

function appendValue(element: XMLBuilder, name: string, value: unknown): void {
  if (Array.isArray(value)) {
    const itemName = ITEM_NAMES[name] ?? 'item'
    for (const item of value) appendValue(element.ele(itemName), itemName, item)
  } else if (value !== null && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) appendValue(element.ele(key), key, child)
  } else if (value !== null && value !== undefined) {
    element.txt(String(value).replace(NOT_XML, '\uFFFD'))
  }
}

export function answer(c: Context, root: string, value: unknown, format: Format, status: ContentfulStatusCode = 200, headers: Record<string, string> = {}) {
  return c.body(renderDocument(root, value, format), status, { 'content-type': CONTENT_TYPE[format], ...headers })
}

export function answerError(c: Context, error: Open311Error): Response {
  const format = formatOfPath(c.req.path)
  return answer(c, 'errors', [{ code: error.status, description: error.description }], format, error.status, {
    'cache-control': 'no-store',
    ...error.headers,
  })
}
