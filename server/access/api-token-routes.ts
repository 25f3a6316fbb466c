/**
 * GET /api/api-tokens: the API tokens and their last use, for the commander (audit permission).
 * Only names, roles, scopes and dates: the tokens themselves are never stored.
 */
import { describeRoute } from '../http/describe.ts'
import { Hono } from 'hono'
import type { Sql } from '../db/connect.ts'
import { listApiTokens } from './api-tokens.ts'
import { requirePermission } from './scope.ts'

export function apiTokenRoutes(sql: Sql) {
  return new Hono().get('/', describeRoute({ tag: 'admin', summary: 'API tokens and their last use (commander)', errors: [403] }), async (c) => {
    requirePermission(c, 'audit')
    const items = await listApiTokens(sql)
    return c.json({ items }, 200, { 'cache-control': 'no-store' })
  })
}
