/**
 * The demo's photos of finished work. Categories such as safety hazards and illegal construction
 * can be finished only with a photo of the result (requiresPhotoOnFinish); the simulator meets that
 * rule the way a grid worker does: it uploads a photo through the same preparation and storage as
 * POST /api/incidents/:id/attachments, and only then finishes the case.
 *
 * The pictures are drawn, not random: a few fixed scenes, so that a demo running for weeks stores a
 * handful of blobs (photos are addressed by their SHA-256) and only one link row per case.
 */
import sharp from 'sharp'
import type { Sql } from '../db/connect.ts'
import { prepareImage, type StoredImage } from '../attachments/image.ts'
import { storeAttachment } from '../attachments/service.ts'

const SCENES = [
  { sky: '#9cc3e6', ground: '#7a8a5a', wall: '#d9d2c3', accent: '#c0392b' },
  { sky: '#b8cfe0', ground: '#8c7b62', wall: '#e6e0d4', accent: '#2e86c1' },
  { sky: '#cfd8dc', ground: '#6d7f4f', wall: '#c9bfae', accent: '#f39c12' },
  { sky: '#a9c9e8', ground: '#9a8f7a', wall: '#efe9dc', accent: '#27ae60' },
] as const

const prepared = new Map<number, Promise<StoredImage>>()

/** A 960×720 JPEG of a cleared site: ground, a wall, a marker where the work was done. */
function drawScene(variant: number): Promise<Buffer> {
  const s = SCENES[variant % SCENES.length]!
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="960" height="720">
    <rect width="960" height="420" fill="${s.sky}"/><rect y="420" width="960" height="300" fill="${s.ground}"/>
    <rect x="${120 + variant * 40}" y="230" width="420" height="250" fill="${s.wall}"/>
    <rect x="${180 + variant * 40}" y="300" width="90" height="180" fill="#5d4e3a"/>
    <circle cx="${700 - variant * 30}" cy="540" r="46" fill="none" stroke="${s.accent}" stroke-width="12"/>
    <path d="M0 600 L960 560 L960 720 L0 720 Z" fill="#000" fill-opacity="0.12"/></svg>`
  return sharp(Buffer.from(svg)).jpeg({ quality: 82 }).toBuffer()
}

/** The stored form of scene `variant`, prepared once per process. */
function sceneImage(variant: number): Promise<StoredImage> {
  const key = variant % SCENES.length
  let image = prepared.get(key)
  if (!image) {
    image = drawScene(key).then(prepareImage)
    image.catch(() => prepared.delete(key))
    prepared.set(key, image)
  }
  return image
}

/**
 * Adds a photo of the result to case `incidentId` when its category requires one to finish and it
 * has none yet; a no-op otherwise. The upload is idempotent per case, like a phone's retry.
 */
export async function attachFinishPhotoIfRequired(sql: Sql, incidentId: number, options: { actor: string; scope: string }): Promise<boolean> {
  const [row] = await sql<{ required: boolean; photos: number }[]>`
    select c.requires_photo_on_finish as required,
           (select count(*) from incident_attachment a where a.incident_id = i.id)::int as photos
    from incident i join incident_category c on c.code = i.category
    where i.id = ${incidentId}`
  if (!row?.required || row.photos > 0) return false
  const image = await sceneImage(incidentId)
  await storeAttachment(sql, incidentId, image, { ...options, idempotencyKey: `${options.actor}-finish-photo-${incidentId}` })
  return true
}
