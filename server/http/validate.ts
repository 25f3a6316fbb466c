/**
 * Request validation at the edge: zod schemas through @hono/zod-validator, whose failures
 * become problem+json 400s naming the parameter. Route types flow into the Hono RPC client.
 */
import { zValidator } from '@hono/zod-validator'
import type { ValidationTargets } from 'hono'
import type { ZodType } from 'zod'
import { invalidRequest } from './problem.ts'

export function validate<Target extends keyof ValidationTargets, Schema extends ZodType>(target: Target, schema: Schema) {
  return zValidator(target, schema, (result) => {
    if (!result.success) throw invalidRequest(target === 'param' ? 'path' : target, result.error as never)
  })
}
