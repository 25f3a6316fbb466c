/**
 * Field work for the access tests: a photo on the case in the worker's cell and one on the case
 * in another town (added by the commander), and a patrol walked by the grid worker in their cell.
 */
import { json, type AccessWorld } from './access-fixture.ts'
import { plainPhoto, upload } from './photos.ts'

const CST_OFFSET_MS = 8 * 3_600_000

export interface FieldWork {
  cellPhoto: string
  otherPhoto: string
  patrol: number
  /** The China Standard Time day of the patrol, for GET /api/patrols?date=. */
  date: string
}

export async function addFieldWork(world: AccessWorld): Promise<FieldWork> {
  const photo = async (caseId: number, colour: string) => {
    const res = await world.commander.request(`/api/incidents/${caseId}/attachments`, upload(await plainPhoto('jpeg', 240, 180, colour)))
    if (res.status !== 201) throw new Error(`photo upload failed: ${res.status} ${await res.text()}`)
    return ((await res.json()) as { url: string }).url
  }
  const worker = world.viewers.grid_worker
  const start = await worker.request('/api/patrols', json({}))
  const { id } = (await start.json()) as { id: number }
  // The track lies within the China Standard Time day the patrol started on, which a day's tracks
  // (GET /api/patrols?date=) need: an hour back, or from midnight when the day is younger than that.
  const now = Date.now()
  const dayStart = Date.parse(`${new Date(now + CST_OFFSET_MS).toISOString().slice(0, 10)}T00:00:00+08:00`)
  const t0 = Math.max(now - 3_600_000, dayStart)
  const step = Math.min(60_000, Math.floor((now - t0) / 3))
  const positions = [0, 1, 2].map((i) => ({
    t: new Date(t0 + i * step).toISOString(),
    lon: world.cell.point.lon + i * 0.0002,
    lat: world.cell.point.lat,
    accuracy: 8,
  }))
  await worker.request(`/api/patrols/${id}/positions`, json(positions))
  return {
    cellPhoto: await photo(world.cases.cell.id, '#0b7285'),
    otherPhoto: await photo(world.cases.otherTown.id, '#862e9c'),
    patrol: id,
    date: new Date(t0 + CST_OFFSET_MS).toISOString().slice(0, 10),
  }
}
