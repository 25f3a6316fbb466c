/**
 * Photos for the attachment tests, made with sharp in memory: a JPEG carrying a GPS position and
 * a taking time in its EXIF (as a phone camera writes it), a PNG, a WebP, and the multipart
 * upload a browser sends.
 */
import sharp from 'sharp'

export const TAKEN = '2026:11:28 09:41:00'

/** A JPEG of `width`×`height` with EXIF GPS (21.5° N, 111° E), a taking time and a camera make. */
export async function photoWithGps(width = 800, height = 600, colour = '#3a7bd5'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .jpeg({ quality: 85 })
    .withExif({
      IFD0: { Make: 'GridPhone', DateTime: TAKEN },
      IFD2: { DateTimeOriginal: TAKEN },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '21/1 30/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '111/1 0/1 0/1' },
    })
    .toBuffer()
}

export async function plainPhoto(format: 'jpeg' | 'png' | 'webp', width = 400, height = 300, colour = '#c92a2a'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } })
    .toFormat(format)
    .toBuffer()
}

/** A multipart upload of `bytes` as the field `file`, as a same-origin browser page sends it. */
export function upload(bytes: Uint8Array, name = 'photo.jpg', type = 'image/jpeg', headers: Record<string, string> = {}): RequestInit {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), name)
  return { method: 'POST', body: form, headers: { 'sec-fetch-site': 'same-origin', ...headers } }
}
