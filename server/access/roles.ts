/**
 * Roles and what each may do. A viewer (a signed-in user or a wall display) has one role and one
 * scope: a grid code whose subtree (code prefix) holds every incident the viewer may see or touch.
 */
export const USER_ROLES = ['commander', 'town_leader', 'village_leader', 'grid_worker', 'analyst'] as const
export type UserRole = (typeof USER_ROLES)[number]
export type Role = UserRole | 'wall'

export interface Permissions {
  /** Report incidents and move cases through the workflow (inside the scope). */
  write: boolean
  /** See the unmasked parties of a case (inside the scope), with a reason, audited. */
  reveal: boolean
  /** Read the audit log. */
  audit: boolean
}

export const PERMISSIONS: Record<Role, Permissions> = {
  commander: { write: true, reveal: true, audit: true },
  town_leader: { write: true, reveal: true, audit: false },
  village_leader: { write: true, reveal: true, audit: false },
  grid_worker: { write: true, reveal: true, audit: false },
  analyst: { write: false, reveal: false, audit: false },
  wall: { write: false, reveal: false, audit: false },
}

/** The grid level a role's scope must be at; null: any level (usually the district). */
export const SCOPE_LEVEL: Record<Role, number | null> = {
  commander: null,
  town_leader: 2,
  village_leader: 3,
  grid_worker: 5,
  analyst: null,
  wall: null,
}

export { levelOfCode } from '../grids/codes.ts'

/** Who is asking: set on the request context by the authentication middleware. */
export interface Viewer {
  kind: 'user' | 'wall' | 'token'
  /** The app_user id, the wall_token id for a wall display, or the api_token id. */
  id: number
  name: string
  role: Role
  scope: string
  /** SHA-256 of the session (or API) token (identifies it without being a secret). */
  sessionHash: string
}

declare module 'hono' {
  interface ContextVariableMap {
    viewer: Viewer | undefined
  }
}
