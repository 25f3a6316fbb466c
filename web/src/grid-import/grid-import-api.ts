/** The grid import's calls (/api/imports/grid), through the one API client (rpc.ts). */
import type { InferResponseType } from 'hono/client'
import type { Feature, FeatureCollection, Geometry } from 'geojson'
import { api, readJson, uploadForm } from '../api/rpc.ts'

export type ImportStatus = InferResponseType<(typeof api.imports.grid)[':id']['$get'], 200>
export type ImportPlan = NonNullable<ImportStatus['plan']>

export interface ProblemProperties {
  index: number
  code: string
  kind: string
  severity: 'error' | 'warning'
  areaM2: number | null
  message: string
  other: string | null
}
export type ProblemFeature = Feature<Geometry | null, ProblemProperties>
export type ProblemCollection = FeatureCollection<Geometry | null, ProblemProperties>

export const UPLOAD_PATH = '/api/imports/grid'

export interface ImportOptions {
  layer: string
  crs: string
  encoding: string
  map: string
  toleranceM: string
  effective: string
}

/** Uploads the files with the options; the answer is the import being checked. */
export function uploadGrid(files: File[], options: ImportOptions, onProgress: (sent: number, total: number) => void): Promise<ImportStatus> {
  const form = new FormData()
  for (const file of files) form.append('file', file, file.name)
  for (const [key, value] of Object.entries(options)) if (value.trim() !== '') form.append(key, value.trim())
  return uploadForm<ImportStatus>(UPLOAD_PATH, form, onProgress)
}

/** The imports the server holds, newest first. */
export async function fetchImports(): Promise<{ items: ImportStatus[] }> {
  return readJson(await api.imports.grid.$get())
}

export async function fetchImportStatus(id: string): Promise<ImportStatus> {
  return readJson(await api.imports.grid[':id'].$get({ param: { id } }))
}

export async function fetchImportProblems(id: string): Promise<ProblemCollection> {
  return readJson(await api.imports.grid[':id'].problems.$get({ param: { id } }))
}

export async function applyImport(id: string): Promise<ImportStatus> {
  return readJson(await api.imports.grid[':id'].apply.$post({ param: { id }, json: { confirm: true } }))
}
