/**
 * Request validation at the edge: zod schemas through @hono/zod-validator, whose failures
 * become problem+json 400s naming the parameter. Route types flow into the Hono RPC client.
 * Text with a NUL character or an unpaired surrogate (not well-formed UTF-16, so not encodable
 * as UTF-8) is refused here for every route: PostgreSQL cannot store either, and the database
 * must never see a request's bad input as an error of its own.
 * Each validator also carries its schema for hono-openapi, so the OpenAPI document at
 * /api/openapi.json lists the same parameters and bodies the route checks (one source of truth).
 */
import { zValidator } from '@hono/zod-validator'
import type { ValidationTargets } from 'hono'
import { resolver, uniqueSymbol } from 'hono-openapi'
import type { ZodType } from 'zod'
import { HttpProblem, invalidRequest } from './problem.ts'

export function validate<Target extends keyof ValidationTargets, Schema extends ZodType>(target: Target, schema: Schema) {
  const middleware = zValidator(target, schema, (result) => {
    if (!result.success) throw invalidRequest(target === 'param' ? 'path' : target, result.error as never)
    const field = fieldWithBadText(result.data)
    if (field !== null) {
      const name = field || target
      const reason = 'Expected well-formed text: no NUL characters and no unpaired surrogates.'
      throw new HttpProblem(400, 'Invalid request', `Invalid ${target === 'param' ? 'path' : target} parameter: ${name}. ${reason}`, [{ name, reason }])
    }
  })
  return Object.assign(middleware, { [uniqueSymbol]: { target, ...resolver(schema as never) } })
}

/** A surrogate code unit without its partner. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** Whether text can be stored in PostgreSQL: well-formed UTF-16 without NUL. */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text)
}

/** The path of the first string that is not storable text ('' for the value itself), or null. */
function fieldWithBadText(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return isStorableText(value) ? null : path
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = fieldWithBadText(item, path)
      if (found !== null) return found || `${path}[${i}]`
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = fieldWithBadText(item, path ? `${path}.${key}` : key)
      if (found !== null) return found
    }
  }
  return null
}
