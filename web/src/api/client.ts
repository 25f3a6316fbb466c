/**
 * The requests of the dashboard and the session, over the one typed client and JSON reader of
 * rpc.ts. Every call resolves to the parsed body or throws an `ApiError` carrying the
 * server's problem+json. The geometry routes answer with `c.body`, so their JSON is untyped on
 * the server side; they are cast to GeoJSON types here, once.
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson'
import type { InferResponseType } from 'hono/client'
import { api, ApiError, readJson, type Problem } from './rpc.ts'

export { ApiError, type Problem }

export type GridRoots = InferResponseType<typeof api.grids.$get, 200>
export type GridRoot = GridRoots['roots'][number]
export type GridCell = InferResponseType<(typeof api.grids)[':code']['$get'], 200>
export type GridSearchResult = InferResponseType<typeof api.grids.search.$get, 200>['results'][number]
export type ProductMeta = InferResponseType<typeof api.meta.$get, 200>
export type IncidentRollup = GridCell['incidents']
export type CategoryNode = InferResponseType<typeof api.categories.$get, 200>['categories'][number]
export type IncidentPage = InferResponseType<typeof api.incidents.$get, 200>
export type Incident = IncidentPage['items'][number]
export type IncidentDetail = InferResponseType<(typeof api.incidents)[':id']['$get'], 200>
export type TimelineEvent = IncidentDetail['timeline'][number]
export type IncidentStatus = Incident['status']
export type IncidentAction = Incident['allowedActions'][number]
export type Me = InferResponseType<typeof api.auth.me.$get, 200>
export type Role = Me['role']
export type RevealedParties = InferResponseType<(typeof api.incidents)[':id']['parties']['reveal']['$post'], 200>

/** Properties of every grid cell feature from /api/grids/:code/geometry. */
export interface GridFeatureProperties {
  code: string
  level: number
  name: string
  parentCode: string | null
  households: number
  population: number
  incidents: number
  open: number
  overdue: number
  labelPoint: [number, number]
}
export type GridFeature = Feature<Polygon | MultiPolygon, GridFeatureProperties>
export type GridFeatureCollection = FeatureCollection<Polygon | MultiPolygon, GridFeatureProperties>

export interface ContextRegionProperties {
  code: string
  name: string
}
export type ContextRegionCollection = FeatureCollection<Polygon | MultiPolygon, ContextRegionProperties>

export async function fetchGridRoots(): Promise<GridRoots> {
  return readJson<GridRoots>(await api.grids.$get())
}

export async function fetchGridCell(code: string): Promise<GridCell> {
  return readJson<GridCell>(await api.grids[':code'].$get({ param: { code } }))
}

export async function fetchGridGeometry(code: string): Promise<GridFeature> {
  return readJson<GridFeature>(await api.grids[':code'].geometry.$get({ param: { code }, query: {} }))
}

export async function fetchGridChildrenGeometry(code: string): Promise<GridFeatureCollection> {
  return readJson<GridFeatureCollection>(await api.grids[':code'].geometry.$get({ param: { code }, query: { children: '1' } }))
}

/** Cells whose name contains `q` (or whose code starts with it), best matches first. */
export async function fetchGridSearch(q: string, limit: number, signal?: AbortSignal): Promise<GridSearchResult[]> {
  const response = await api.grids.search.$get({ query: { q, limit: String(limit) } }, { init: { signal } })
  return (await readJson<{ results: GridSearchResult[] }>(response)).results
}

/** What the server is and where its vector tiles are (a TileJSON path on the same origin). */
export async function fetchMeta(): Promise<ProductMeta> {
  return readJson<ProductMeta>(await api.meta.$get())
}

export async function fetchContextRegions(): Promise<ContextRegionCollection> {
  return readJson<ContextRegionCollection>(await api.regions.context.$get())
}

export async function fetchCategories(): Promise<CategoryNode[]> {
  return (await readJson<{ categories: CategoryNode[] }>(await api.categories.$get())).categories
}

export interface IncidentListFilter {
  grid: string
  status?: readonly IncidentStatus[]
  limit?: number
  cursor?: string
}

export async function fetchIncidents({ grid, status, limit, cursor }: IncidentListFilter, signal?: AbortSignal): Promise<IncidentPage> {
  const query = { grid, status: status?.join(','), limit: limit === undefined ? undefined : String(limit), cursor }
  return readJson<IncidentPage>(await api.incidents.$get({ query }, { init: { signal } }))
}

export async function fetchIncident(id: number): Promise<IncidentDetail> {
  return readJson<IncidentDetail>(await api.incidents[':id'].$get({ param: { id: String(id) } }))
}

/** Applies a workflow action; a 409 (not allowed now) throws an ApiError with the server's reason. */
export async function postTransition(id: number, action: IncidentAction, note?: string): Promise<Incident> {
  return readJson<Incident>(await api.incidents[':id'].transitions.$post({ param: { id: String(id) }, json: { action, note } }))
}

/**
 * Who is signed in; an ApiError with status 401 when no one is. Asked of /api/auth/session, which
 * answers 200 either way: a browser without a session logs no failed request.
 */
export async function fetchMe(): Promise<Me> {
  const { me } = await readJson<{ me: Me | null }>(await api.auth.session.$get())
  if (!me) throw new ApiError({ title: 'Sign-in required', status: 401 })
  return me
}

export async function signIn(username: string, password: string): Promise<Me> {
  return readJson<Me>(await api.auth.login.$post({ json: { username, password } }))
}

/** Exchanges a wall display's link token for a read-only session cookie. */
export async function signInWall(token: string): Promise<Me> {
  return readJson<Me>(await api.auth.wall.$post({ json: { token } }))
}

export async function signOut(): Promise<void> {
  const response: Response = await api.auth.logout.$post()
  if (!response.ok) await readJson(response)
}

/** The unmasked parties of a case; the server records who looked, when and why. */
export async function revealParties(id: number, reason: string): Promise<RevealedParties> {
  return readJson<RevealedParties>(await api.incidents[':id'].parties.reveal.$post({ param: { id: String(id) }, json: { reason } }))
}
