/**
 * The one piece of metadata a report photo keeps: when it was taken. Re-encoding through a
 * canvas drops every EXIF tag (GPS position, camera serial, owner name); this writes back a
 * minimal EXIF block holding only DateTimeOriginal, so the time travels inside the photo itself
 * (the server, exports and any viewer read it with no extra API field) while the position cannot
 * survive by construction. The taking time is read from the original with exifr.
 *
 * Layout (big-endian TIFF): IFD0 with one entry pointing to the Exif IFD, whose one entry is
 * DateTimeOriginal (0x9003, ASCII "YYYY:MM:DD HH:MM:SS\0"), 64 bytes of TIFF in all.
 */

const TAG_EXIF_IFD = 0x8769
const TAG_DATE_TIME_ORIGINAL = 0x9003
const TYPE_ASCII = 2
const TYPE_LONG = 4
const EXIF_DATE = /^\d{4}:\d{2}:\d{2} \d{2}:\d{2}:\d{2}$/

/** EXIF's local date-time text for a moment in the phone's own time zone. */
export function formatExifDateTime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${date.getFullYear()}:${pad(date.getMonth() + 1)}:${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
}

/** An APP1 segment (marker included) carrying only DateTimeOriginal. */
export function buildTimeExifSegment(dateTimeOriginal: string): Uint8Array {
  if (!EXIF_DATE.test(dateTimeOriginal)) throw new RangeError(`Expected an EXIF date-time "YYYY:MM:DD HH:MM:SS", got "${dateTimeOriginal}".`)
  const tiff = new Uint8Array(64)
  const view = new DataView(tiff.buffer)
  tiff.set([0x4d, 0x4d, 0x00, 0x2a]) // "MM", 42
  view.setUint32(4, 8) // IFD0 offset
  // IFD0: one entry, the Exif IFD pointer (offset 26).
  view.setUint16(8, 1)
  writeEntry(view, 10, TAG_EXIF_IFD, TYPE_LONG, 1, 26)
  view.setUint32(22, 0)
  // Exif IFD: one entry, DateTimeOriginal, its 20 bytes at offset 44.
  view.setUint16(26, 1)
  writeEntry(view, 28, TAG_DATE_TIME_ORIGINAL, TYPE_ASCII, 20, 44)
  view.setUint32(40, 0)
  for (let i = 0; i < 19; i++) tiff[44 + i] = dateTimeOriginal.charCodeAt(i)
  const header = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00] // "Exif\0\0"
  const length = 2 + header.length + tiff.length
  const segment = new Uint8Array(2 + length)
  segment.set([0xff, 0xe1, length >> 8, length & 0xff, ...header])
  segment.set(tiff, 2 + 2 + header.length)
  return segment
}

function writeEntry(view: DataView, at: number, tag: number, type: number, count: number, value: number): void {
  view.setUint16(at, tag)
  view.setUint16(at + 2, type)
  view.setUint32(at + 4, count)
  view.setUint32(at + 8, value)
}

/**
 * The JPEG with `segment` placed right after its start-of-image marker. The input is expected
 * to carry no EXIF of its own (a canvas encoding writes none).
 */
export function insertSegmentAfterSoi(jpeg: Uint8Array, segment: Uint8Array): Uint8Array {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('Expected JPEG bytes (no start-of-image marker).')
  const out = new Uint8Array(jpeg.length + segment.length)
  out.set(jpeg.subarray(0, 2))
  out.set(segment, 2)
  out.set(jpeg.subarray(2), 2 + segment.length)
  return out
}
