/**
 * The size a photo is scaled to before upload: its long side at most 2048 px (enough to read a
 * licence plate or a crack in a wall, about a tenth of a phone camera's bytes), never enlarged,
 * the aspect ratio kept to the nearest pixel.
 */
export const MAX_LONG_SIDE = 2048
/** JPEG quality of the re-encoded photo: visually lossless for documentation, ~300–700 KB at 2048 px. */
export const JPEG_QUALITY = 0.85

export interface ScaledSize {
  width: number
  height: number
  scale: number
}

export function fitWithin(width: number, height: number, maxLongSide = MAX_LONG_SIDE): ScaledSize {
  if (!(width > 0 && height > 0)) throw new RangeError(`Expected a positive image size, got ${width}×${height}.`)
  const long = Math.max(width, height)
  if (long <= maxLongSide) return { width, height, scale: 1 }
  const scale = maxLongSide / long
  // The long side lands exactly on the limit; the short side rounds but never to zero.
  return width >= height
    ? { width: maxLongSide, height: Math.max(1, Math.round(height * scale)), scale }
    : { width: Math.max(1, Math.round(width * scale)), height: maxLongSide, scale }
}
