/** The departments (职能部门) calls, through the one typed RPC client. */
import type { InferRequestType, InferResponseType } from 'hono/client'
import { api, readJson } from '../api/rpc.ts'

export type Departments = InferResponseType<typeof api.departments.$get, 200>
export type Department = Departments['items'][number]
export type DepartmentBody = InferRequestType<typeof api.departments.$post>['json']
export type DepartmentPatch = InferRequestType<(typeof api.departments)[':id']['$patch']>['json']

export async function fetchDepartments(): Promise<Departments> {
  return readJson(await api.departments.$get())
}

export async function createDepartment(body: DepartmentBody): Promise<Department> {
  return readJson(await api.departments.$post({ json: body }))
}

export async function updateDepartment(id: number, patch: DepartmentPatch): Promise<Department> {
  return readJson(await api.departments[':id'].$patch({ param: { id: String(id) }, json: patch }))
}
