/**
 * Where a POSTed request is: `lat`/`long`, else `address_id` (the addressing system here is the
 * grid: a household group's 18-digit code), else `address_string` naming one household group as
 * people write it (village, villager group and household group, e.g.
 * 电海社区居民委员会第1居民小组第1住户小组, with or without the town first). A code or name
 * stands for the household group's label point, which lies inside it, so the case is assigned to
 * that cell like any report. Nothing here geocodes street addresses: a client that has none of
 * these gets a 400 asking for lat and long.
 */
import type { Sql } from '../db/connect.ts'
import { Open311Error } from './format.ts'

export interface Located {
  location: { lon: number; lat: number }
  /** The field the point came from, named in errors about it. */
  field: 'lat' | 'address_id' | 'address_string'
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/

export async function locate(sql: Sql, form: { lat?: string; long?: string; address_id?: string; address_string?: string }): Promise<Located> {
  if (form.lat !== undefined || form.long !== undefined) {
    return { location: { lon: coordinate('long', form.long, 180), lat: coordinate('lat', form.lat, 90) }, field: 'lat' }
  }
  if (form.address_id !== undefined) return { location: await householdGroupPoint(sql, form.address_id), field: 'address_id' }
  if (form.address_string !== undefined) return { location: await namedHouseholdGroupPoint(sql, form.address_string), field: 'address_string' }
  throw new Open311Error(400, 'lat: a location is required: lat and long, address_id (a household group code) or address_string (its name).')
}

function coordinate(name: 'lat' | 'long', text: string | undefined, limit: number): number {
  if (text === undefined) throw new Open311Error(400, `${name}: required with ${name === 'lat' ? 'long' : 'lat'}.`)
  const value = NUMBER.test(text.trim()) ? Number(text) : Number.NaN
  if (!Number.isFinite(value) || Math.abs(value) > limit) throw new Open311Error(400, `${name}: expected a number from -${limit} to ${limit} (WGS 84 degrees).`)
  return value
}

async function householdGroupPoint(sql: Sql, code: string): Promise<{ lon: number; lat: number }> {
  if (!/^[0-9]{18}$/.test(code)) throw new Open311Error(400, 'address_id: expected the 18-digit code of a household group.')
  const [row] = await sql<{ lon: number; lat: number }[]>`
    select ST_X(label_point) as lon, ST_Y(label_point) as lat from grid_cell where code = ${code} and level = 5`
  if (!row) throw new Open311Error(400, `address_id: no household group has the code ${code}.`)
  return row
}

async function namedHouseholdGroupPoint(sql: Sql, address: string): Promise<{ lon: number; lat: number }> {
  const text = address.replace(/[\s,，、]+/g, '')
  if (text.length < 4 || text.length > 200) throw new Open311Error(400, 'address_string: expected the name of a household group (4 to 200 characters).')
  // Household groups whose full name the text holds; when several, those whose town it names too.
  const rows = await sql<{ lon: number; lat: number; town: string }[]>`
    select ST_X(h.label_point) as lon, ST_Y(h.label_point) as lat, t.name as town
    from grid_cell h join grid_cell t on t.code = left(h.code, 9)
    where h.level = 5 and strpos(${text}, h.full_name) > 0
    order by h.code limit 20`
  const named = rows.length > 1 ? rows.filter((r) => text.includes(r.town)) : rows
  if (named.length !== 1) {
    throw new Open311Error(
      400,
      `address_string: ${named.length === 0 ? 'names no household group' : 'names more than one household group (add the town)'}; send lat and long or address_id instead.`,
    )
  }
  return { lon: named[0]!.lon, lat: named[0]!.lat }
}
