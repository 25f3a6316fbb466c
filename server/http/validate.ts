/**
 * Request validation at the edge: zod schemas through @hono/zod-validator, whose failures
 * become problem+json 400s naming the parameter. Route types flow into the Hono RPC client.
 * Text with a NUL character is refused here for every route: PostgreSQL cannot store it in
 * text, and the database must never see a request's bad input as an error of its own.
 */
import { zValidator } from '@hono/zod-validator'
import type { ValidationTargets } from 'hono'
import type { ZodType } from 'zod'
import { HttpProblem, invalidRequest } from './problem.ts'

export function validate<Target extends keyof ValidationTargets, Schema extends ZodType>(target: Target, schema: Schema) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw invalidRequest(target === 'param' ? 'path' : target, result.error as never)
    const field = fieldWithNul(result.data)
    if (field !== null) {
      const name = field || target
      throw new HttpProblem(400, 'Invalid request', `Invalid ${target === 'param' ? 'path' : target} parameter: ${name}. Expected text without NUL characters.`, [
        { name, reason: 'Expected text without NUL characters.' },
      ])
    }
  })
}

/** The path of the first string holding U+0000 ('' for the value itself), or null. */
function fieldWithNul(value: unknown, path = ''): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = fieldWithNul(item, path)
      if (found !== null) return found || `${path}[${i}]`
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = fieldWithNul(item, path ? `${path}.${key}` : key)
      if (found !== null) return found
    }
  }
  return null
}
