/**
 * What the Open311 tests share: the GeoReport v2 response shapes as JSON Schemas (written from
 * the specification's tables and the open311 schema-validation repository's schemas: required
 * fields, open/closed, realtime/batch/blackbox, the six datatypes), checked with Ajv; a reader of
 * the XML answers (fast-xml-parser, a parser independent of the builder the server uses) that
 * turns the document back into the JSON shape, so a test can require both formats to say the
 * same; and form helpers for POST.
 */
import { Ajv, type AnySchema } from 'ajv'
import { XMLParser, XMLValidator } from 'fast-xml-parser'
import { expect } from 'vitest'

const text = { type: 'string' }
const nullableText = { type: ['string', 'null'] }
const W3C_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/
const dateTime = { type: 'string', format: 'date-time' }
const nullableDateTime = { anyOf: [dateTime, { type: 'null' }] }

const service = {
  type: 'object',
  required: ['service_code', 'service_name', 'metadata', 'type'],
  properties: {
    service_code: text,
    service_name: text,
    description: nullableText,
    metadata: { type: 'boolean' },
    type: { enum: ['realtime', 'batch', 'blackbox'] },
    keywords: nullableText,
    group: nullableText,
  },
}

const attribute = {
  type: 'object',
  required: ['variable', 'code', 'datatype', 'required', 'order', 'description'],
  properties: {
    variable: { type: 'boolean' },
    code: text,
    datatype: { enum: ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] },
    required: { type: 'boolean' },
    datatype_description: nullableText,
    order: { type: 'integer', minimum: 1 },
    description: nullableText,
    values: { type: 'array', items: { type: 'object', required: ['key', 'name'], properties: { key: text, name: text } } },
  },
}

const request = {
  type: 'object',
  required: ['service_request_id', 'status', 'service_code', 'requested_datetime'],
  properties: {
    service_request_id: text,
    status: { enum: ['open', 'closed'] },
    status_notes: nullableText,
    service_name: nullableText,
    service_code: text,
    description: { anyOf: [{ type: 'string', maxLength: 4000 }, { type: 'null' }] },
    agency_responsible: nullableText,
    service_notice: nullableText,
    requested_datetime: dateTime,
    updated_datetime: nullableDateTime,
    expected_datetime: nullableDateTime,
    address: nullableText,
    address_id: nullableText,
    zipcode: nullableText,
    lat: { type: ['number', 'null'], minimum: -90, maximum: 90 },
    long: { type: ['number', 'null'], minimum: -180, maximum: 180 },
    media_url: { anyOf: [{ type: 'string', format: 'uri' }, { type: 'null' }] },
  },
}

export const SCHEMAS = {
  discovery: {
    type: 'object',
    required: ['changeset', 'contact', 'key_service', 'endpoints'],
    properties: {
      changeset: text,
      contact: text,
      key_service: text,
      endpoints: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['specification', 'url', 'changeset', 'type', 'formats'],
          properties: {
            specification: text,
            url: { type: 'string', format: 'uri' },
            changeset: text,
            type: { enum: ['production', 'test'] },
            formats: { type: 'array', items: text },
          },
        },
      },
    },
  },
  services: { type: 'array', items: service },
  serviceDefinition: {
    type: 'object',
    required: ['service_code', 'attributes'],
    properties: { service_code: text, attributes: { type: 'array', items: attribute } },
  },
  requests: { type: 'array', items: request },
  posted: {
    type: 'array',
    minItems: 1,
    maxItems: 1,
    items: {
      type: 'object',
      required: ['service_request_id'],
      properties: { service_request_id: text, service_notice: nullableText, account_id: nullableText },
      not: { required: ['token'] },
    },
  },
  errors: {
    type: 'array',
    minItems: 1,
    items: { type: 'object', required: ['code', 'description'], additionalProperties: false, properties: { code: { type: 'integer' }, description: text } },
  },
} satisfies Record<string, AnySchema>

const ajv = new Ajv({
  allErrors: true,
  formats: { 'date-time': W3C_DATE_TIME, uri: (value: string) => URL.canParse(value) },
})

/** Fails the test with Ajv's findings unless `value` has the shape. */
export function expectSchema(name: keyof typeof SCHEMAS, value: unknown): void {
  const validate = ajv.compile(SCHEMAS[name])
  const ok = validate(value)
  expect(ok ? [] : validate.errors, `${name} schema`).toEqual([])
}

const LIST_ITEMS = ['service', 'attribute', 'value', 'endpoint', 'format', 'request', 'error']

/** Parses an XML answer (well-formed, UTF-8 declared) and returns its root element's content. */
export function readXml(body: string, root: string): unknown {
  expect(XMLValidator.validate(body)).toBe(true)
  expect(body).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>/)
  const parsed = new XMLParser({ parseTagValue: false, trimValues: false, isArray: (name) => LIST_ITEMS.includes(name) }).parse(body) as Record<string, unknown>
  expect(Object.keys(parsed).filter((k) => k !== '?xml')).toEqual([root])
  return unwrapLists(parsed[root])
}

/** `{ services: { service: [...] } }` → `{ services: [...] }`: the Spark convention, undone. */
function unwrapLists(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapLists)
  if (value === null || typeof value !== 'object') return value
  const entries = Object.entries(value as Record<string, unknown>)
  if (entries.length === 1 && LIST_ITEMS.includes(entries[0]![0]) && Array.isArray(entries[0]![1])) return unwrapLists(entries[0]![1])
  return Object.fromEntries(entries.map(([k, v]) => [k, unwrapLists(v)]))
}

/** A JSON answer as its XML twin reads: every scalar as text, null as empty, empty lists gone. */
export function asXmlText(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asXmlText)
  if (value === null || value === undefined) return ''
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asXmlText(v)]))
  return String(value)
}

/** A form-encoded POST, as Open311 clients send it. */
export function form(fields: Record<string, string | string[]>, headers: Record<string, string> = {}): RequestInit {
  const body = new URLSearchParams()
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v)
  return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', ...headers }, body: body.toString() }
}
