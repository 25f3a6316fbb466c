/**
 * /api/departments: the departments cases can be dispatched to. Every signed-in role reads the
 * ones overlapping its scope (contacts in full only for roles that act on cases); the commander
 * adds and changes them. A department is switched off (active: false), never deleted: past
 * dispatches name it.
 */
import { Hono } from 'hono'
import type { Sql } from '../db/connect.ts'
import { HttpProblem } from '../http/problem.ts'
import { describeRoute } from '../http/describe.ts'
import { validate } from '../http/validate.ts'
import { PERMISSIONS } from '../access/roles.ts'
import { viewerOf } from '../access/scope.ts'
import type { Context } from 'hono'
import { checkCategories, createDepartment, listDepartments, updateDepartment } from './queries.ts'
import { DepartmentBody, DepartmentIdParams, DepartmentPatch } from './types.ts'

function requireCommander(c: Context) {
  const viewer = viewerOf(c)
  if (viewer.role !== 'commander') throw new HttpProblem(403, 'Not permitted', `The role ${viewer.role} may not manage departments (commander only).`)
  return viewer
}

export function departmentRoutes(sql: Sql) {
  return new Hono()
    .get('/', describeRoute({ tag: 'admin', summary: 'Departments a case may be dispatched to' }), async (c) => {
      const viewer = viewerOf(c)
      return c.json({ items: await listDepartments(sql, viewer.scope, PERMISSIONS[viewer.role].write) }, 200, { 'cache-control': 'private, no-store' })
    })
    .post(
      '/',
      describeRoute({ tag: 'admin', summary: 'Add a department (commander)', errors: [409, 422], ok: { status: 201, description: 'The new department' } }),
      validate('json', DepartmentBody),
      async (c) => {
        requireCommander(c)
        const body = c.req.valid('json')
        await checkCategories(sql, body.categories)
        return c.json(await createDepartment(sql, body), 201)
      },
    )
    .patch(
      '/:id',
      describeRoute({ tag: 'admin', summary: 'Change a department (commander)', errors: [404, 409, 422] }),
      validate('param', DepartmentIdParams),
      validate('json', DepartmentPatch),
      async (c) => {
        requireCommander(c)
        const body = c.req.valid('json')
        await checkCategories(sql, body.categories)
        return c.json(await updateDepartment(sql, c.req.valid('param').id, body))
      },
    )
}
