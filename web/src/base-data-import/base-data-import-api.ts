/**
 * The base-data import screen's calls, through the one typed RPC client: check a file (the
 * answer is either what it would add and change, or the rows to fix: a 422 whose problem lists
 * them), apply it, and fetch the row report as a spreadsheet.
 */
import type { InferResponseType } from 'hono/client'
import { api, ApiError, type Problem, readJson, throwProblem } from '../api/rpc.ts'
import type { BaseDataKind } from '../../../server/base-data/kinds.ts'
import type { RowProblem } from '../../../server/base-data/rows.ts'

export type { BaseDataKind, RowProblem }
export const KINDS: BaseDataKind[] = ['households', 'people', 'workers', 'party']

export type Checked = InferResponseType<(typeof api.imports)[':kind']['$post'], 200>
export type CheckOutcome = { state: 'ready'; result: Checked } | { state: 'problems'; rows: number; problems: RowProblem[] }

/** The template's address (a plain link: the browser downloads it with the session cookie). */
export function templateHref(kind: BaseDataKind): string {
  return `/api/imports/templates/${kind}.xlsx`
}

const formOf = (file: File) => {
  const form = new FormData()
  form.append('file', file, file.name)
  return form
}

/** Checks the file (apply: false) or imports it (apply: true); row problems are an outcome, not an error. */
export async function sendFile(kind: BaseDataKind, file: File, apply: boolean): Promise<CheckOutcome> {
  const response = await api.imports[':kind'].$post({ param: { kind }, query: apply ? { apply: 'true' } : {} }, { init: { body: formOf(file) } })
  if ((response.status as number) === 422) {
    const body = (await response
      .clone()
      .json()
      .catch(() => null)) as (Problem & { rows?: number; problems?: RowProblem[] }) | null
    if (body?.problems) return { state: 'problems', rows: body.rows ?? 0, problems: body.problems }
    if (body?.title) throw new ApiError(body)
  }
  return { state: 'ready', result: await readJson<Checked>(response) }
}

/** The row report of the file as an .xlsx blob. */
export async function fetchReport(kind: BaseDataKind, file: File): Promise<Blob> {
  const response = await api.imports[':kind'].report.$post({ param: { kind } }, { init: { body: formOf(file) } })
  if (!response.ok) await throwProblem(response)
  return response.blob()
}
