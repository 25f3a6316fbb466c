/**
 * The world the access tests look at: one household group (CELL) inside a village (VILLAGE) of
 * 电海街道 (TOWN), a case in it, a case elsewhere in the same town, and a case in another town,
 * each with its own unmasked phone and ID number; and one signed-in app per role, scoped as the
 * role demands. Plus scanners for unmasked personal data in response bodies.
 */
import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader } from 'pbf'
import { createApp, type AppOptions } from '../../server/app.ts'
import type { Role } from '../../server/access/roles.ts'
import type { Database } from '../../server/db/connect.ts'
import { asViewer, DISTRICT, signIn, type RequestTarget } from './auth.ts'

export const TOWN = '440904004'
export const OTHER_TOWN = '440904126'

export interface Place {
  code: string
  point: { lon: number; lat: number }
}

export interface Case {
  id: number
  gridCode: string
  phone: string
  idNumber: string
  name: string
}

export interface AccessWorld {
  cell: Place
  village: string
  sameTown: Place
  otherTown: Place
  /** Cases reported by the commander: in the cell, elsewhere in the town, in another town. */
  cases: { cell: Case; sameTown: Case; otherTown: Case }
  /** Text in the title of those cases and no other (a `q` filter selecting exactly them). */
  tag: string
  viewers: Record<Role, Viewer>
  commander: Viewer
}

export interface Viewer extends RequestTarget {
  role: Role
  scope: string
  cookie: string
}

export const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
})

async function placeIn(db: Database, prefix: string, not?: string): Promise<Place> {
  const [row] = await db.sql<{ code: string; lon: number; lat: number }[]>`
    select code, ST_X(label_point) as lon, ST_Y(label_point) as lat from grid_cell
    where level = 5 and code like ${prefix + '%'} ${not ? db.sql`and code not like ${not + '%'}` : db.sql``}
      and ST_Covers(geom, label_point)
    order by code limit 1`
  return { code: row!.code, point: { lon: row!.lon, lat: row!.lat } }
}

let counter = 0
/** A phone and an ID number no other test uses (digits from the clock and a counter). */
export function uniqueParty(): { name: string; phone: string; idNumber: string } {
  const n = String(Date.now() % 1e7).padStart(7, '0') + String(counter++ % 10)
  return { name: `欧阳${'锋雪峰'[counter % 3]}`, phone: `139${n}`, idNumber: `4409041985${'0' + (1 + (Number(n[0]) % 9))}15${n.slice(4, 8)}` }
}

export async function report(viewer: RequestTarget, place: Place, title: string): Promise<Case> {
  const party = uniqueParty()
  const res = await viewer.request('/api/incidents', json({ category: 'dispute.neighbour', severity: 2, title, location: place.point, parties: [party] }))
  if (res.status !== 201) throw new Error(`report failed: ${res.status} ${await res.text()}`)
  const body = (await res.json()) as { id: number; gridCode: string }
  return { id: body.id, gridCode: body.gridCode, ...party }
}

export const ROLE_SCOPES = (world: { cell: Place; village: string }): Record<Role, string> => ({
  commander: DISTRICT,
  analyst: DISTRICT,
  wall: TOWN,
  town_leader: TOWN,
  village_leader: world.village,
  grid_worker: world.cell.code,
})

export async function buildWorld(db: Database, options: AppOptions = {}): Promise<AccessWorld> {
  const app = createApp(db, options)
  const cell = await placeIn(db, `${TOWN}001`)
  const village = cell.code.slice(0, 12)
  const sameTown = await placeIn(db, TOWN, village)
  const otherTown = await placeIn(db, OTHER_TOWN)
  const scopes = ROLE_SCOPES({ cell, village })
  const viewers = {} as Record<Role, Viewer>
  for (const role of Object.keys(scopes) as Role[]) {
    const cookie = await signIn(db, role, scopes[role])
    viewers[role] = { role, scope: scopes[role], cookie, ...asViewer(app, cookie) }
  }
  const commander = viewers.commander
  const tag = `access ${Date.now()}`
  const cases = {
    cell: await report(commander, cell, `${tag} cell`),
    sameTown: await report(commander, sameTown, `${tag} town`),
    otherTown: await report(commander, otherTown, `${tag} other`),
  }
  return { cell, village, sameTown, otherTown, cases, tag, viewers, commander }
}

/** Unmasked mobile numbers (11 digits, not part of a longer digit run such as a grid code). */
export const UNMASKED_PHONE = /(?<![0-9])1[3-9][0-9]{9}(?![0-9])/
/** Unmasked resident ID numbers (area, birth date 19xx/20xx, sequence, check digit). */
export const UNMASKED_ID = /(?<![0-9])[1-9][0-9]{5}(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9X](?![0-9X])/

/** Throws if a body carries an unmasked phone or ID number, or any of the given values. */
export function assertMasked(body: string, values: string[], where: string): void {
  for (const value of values) if (body.includes(value)) throw new Error(`${where}: unmasked value ${value} in the response`)
  const phone = UNMASKED_PHONE.exec(body)
  if (phone) throw new Error(`${where}: unmasked phone number ${phone[0]}`)
  const id = UNMASKED_ID.exec(body)
  if (id) throw new Error(`${where}: unmasked ID number ${id[0]}`)
}

/** Slippy-map tile containing a lon/lat at zoom z. */
export function tileAt(lon: number, lat: number, z: number) {
  const n = 2 ** z
  const x = Math.floor(((lon + 180) / 360) * n)
  const rad = (lat * Math.PI) / 180
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n)
  return { z, x, y }
}

export function tileFeatures(bytes: Uint8Array): Record<string, unknown>[] {
  if (bytes.byteLength === 0) return []
  const tile = new VectorTile(new PbfReader(bytes))
  return Object.values(tile.layers).flatMap((layer) => Array.from({ length: layer.length }, (_, i) => layer.feature(i).properties))
}
