/**
 * The base-data import screen's calls, through the one typed RPC client: check a file (the
 * answer is either what it would add and change, or the rows to fix: a 422 whose problem lists
 * them), apply it, and fetch the row report as a spreadsheet.
 */
import { api, ApiError, PROGRESS_HEADERS, type Problem, type ProgressStep, readProgress, throwProblem } from '../api/rpc.ts'
import type { BaseDataKind } from '../../../server/base-data/kinds.ts'
import type { RowProblem } from '../../../server/base-data/rows.ts'
import type { BaseDataChecked as Checked } from '../../../server/base-data/types.ts'

export type { BaseDataKind, Checked, ProgressStep, RowProblem }
export const KINDS: BaseDataKind[] = ['households', 'people', 'workers', 'party']

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

/**
 * Checks the file (apply: false) or imports it (apply: true), with each stage the server passes
 * (reading, checking rows, loading, …) handed to `onStep`; row problems are an outcome, not an error.
 */
export async function sendFile(kind: BaseDataKind, file: File, apply: boolean, onStep: (step: ProgressStep) => void): Promise<CheckOutcome> {
  const response = await api.imports[':kind'].$post(
    { param: { kind }, query: apply ? { apply: 'true' } : {} },
    { headers: PROGRESS_HEADERS, init: { body: formOf(file) } },
  )
  const { status, body } = await readProgress(response, onStep)
  if (status === 200) return { state: 'ready', result: body as Checked }
  const problem = body as (Problem & { rows?: number; problems?: RowProblem[] }) | null
  if (status === 422 && problem?.problems) return { state: 'problems', rows: problem.rows ?? 0, problems: problem.problems }
  throw new ApiError(problem?.title ? problem : { title: response.statusText || 'Request failed', status })
}

/** The row report of the file as an .xlsx blob. */
export async function fetchReport(kind: BaseDataKind, file: File): Promise<Blob> {
  const response = await api.imports[':kind'].report.$post({ param: { kind } }, { init: { body: formOf(file) } })
  if (!response.ok) await throwProblem(response)
  return response.blob()
}
