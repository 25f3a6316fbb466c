import exifr from 'exifr'
import { describe, expect, it } from 'vitest'
import { buildTimeExifSegment, formatExifDateTime, insertSegmentAfterSoi } from './exif-time.ts'

/** SOI, a comment segment standing in for the encoder's data, EOI. */
const BARE_JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xfe, 0x00, 0x04, 0x41, 0x42, 0xff, 0xd9])

describe('the taking time kept in a re-encoded photo', () => {
  it('writes DateTimeOriginal that an independent EXIF reader finds, and nothing else', async () => {
    const jpeg = insertSegmentAfterSoi(BARE_JPEG, buildTimeExifSegment('2026:11:30 09:41:07'))
    const tags = await exifr.parse(Buffer.from(jpeg), { reviveValues: false, mergeOutput: false, tiff: true, exif: true, gps: true, ifd1: true })
    expect(tags.exif).toEqual({ DateTimeOriginal: '2026:11:30 09:41:07' })
    expect(tags.gps).toBeUndefined()
    expect(await exifr.gps(Buffer.from(jpeg))).toBeUndefined()
  })

  it('keeps the rest of the JPEG byte for byte after the new segment', () => {
    const segment = buildTimeExifSegment('2026:01:02 03:04:05')
    const jpeg = insertSegmentAfterSoi(BARE_JPEG, segment)
    expect(jpeg.length).toBe(BARE_JPEG.length + segment.length)
    expect([...jpeg.subarray(2 + segment.length)]).toEqual([...BARE_JPEG.subarray(2)])
    expect([...segment.subarray(0, 2)]).toEqual([0xff, 0xe1])
  })

  it("formats the phone's local time as EXIF text", () => {
    expect(formatExifDateTime(new Date(2026, 10, 30, 9, 5, 7))).toBe('2026:11:30 09:05:07')
  })

  it('refuses a malformed time and bytes that are not a JPEG', () => {
    expect(() => buildTimeExifSegment('2026-11-30T09:41:07')).toThrow(RangeError)
    expect(() => insertSegmentAfterSoi(new Uint8Array([0x89, 0x50]), buildTimeExifSegment('2026:11:30 09:41:07'))).toThrow(/JPEG/)
  })
})
