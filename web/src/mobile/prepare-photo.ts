/**
 * Turns a camera photo into what is uploaded: decoded upright (EXIF orientation applied), scaled
 * to ≤ 2048 px on its long side, re-encoded as JPEG through a canvas (which writes no metadata:
 * the GPS position, camera and owner tags are gone) and given back only its taking time
 * (exif-time.ts). The time comes from the original's DateTimeOriginal, else from the file's
 * modification time, which for a photo just taken with the camera input is the moment it was taken.
 */
import exifr from 'exifr'
import { buildTimeExifSegment, formatExifDateTime, insertSegmentAfterSoi } from './exif-time.ts'
import { fitWithin, JPEG_QUALITY } from './image-scale.ts'

export interface PreparedPhoto {
  blob: Blob
  name: string
  width: number
  height: number
  /** EXIF local time "YYYY:MM:DD HH:MM:SS". */
  takenAt: string
}

async function readTakenTime(file: File): Promise<string> {
  try {
    const tags = (await exifr.parse(file, { pick: ['DateTimeOriginal'], reviveValues: false })) as { DateTimeOriginal?: unknown } | undefined
    const value = tags?.DateTimeOriginal
    if (typeof value === 'string' && /^\d{4}:\d{2}:\d{2} \d{2}:\d{2}:\d{2}$/.test(value)) return value
  } catch {
    // No EXIF (a PNG, a screenshot) or unreadable: fall back to the file's time.
  }
  return formatExifDateTime(new Date(file.lastModified || Date.now()))
}

export async function preparePhoto(file: File, index: number): Promise<PreparedPhoto> {
  const takenAt = await readTakenTime(file)
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' })
  try {
    const size = fitWithin(bitmap.width, bitmap.height)
    const canvas = document.createElement('canvas')
    canvas.width = size.width
    canvas.height = size.height
    const context = canvas.getContext('2d')
    if (!context) throw new Error('No 2D canvas to scale the photo.')
    context.imageSmoothingQuality = 'high'
    context.drawImage(bitmap, 0, 0, size.width, size.height)
    const encoded = await new Promise<Blob>((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The photo could not be encoded.'))), 'image/jpeg', JPEG_QUALITY),
    )
    const bytes = insertSegmentAfterSoi(new Uint8Array(await encoded.arrayBuffer()), buildTimeExifSegment(takenAt))
    return { blob: new Blob([bytes as BlobPart], { type: 'image/jpeg' }), name: `photo-${index + 1}.jpg`, width: size.width, height: size.height, takenAt }
  } finally {
    bitmap.close()
  }
}
