/**
 * Draws the installable app's icons (web/public/icons/*.png) without any image tool: the
 * product's hexagon mark, cyan on the night-blue of the wall, anti-aliased by 4×4 supersampling
 * and written as PNG with node:zlib. Run once after changing the mark:
 *   npx tsx web/icons/make-icons.ts
 */
import { writeFileSync } from 'node:fs'
import { deflateSync } from 'node:zlib'

const OUT = new URL('../public/icons/', import.meta.url).pathname
const BG = [8, 18, 31]
const FG = [110, 231, 249]

/** Coverage of the mark at (x, y) in a unit square: hexagon ring plus centre dot; `inset` shrinks it for maskable icons. */
function markAt(x: number, y: number, inset: number): number {
  const s = 1 - 2 * inset
  const u = (x - inset) / s
  const v = (y - inset) / s
  const hex = (px: number, py: number, r: number) => {
    const dx = Math.abs(px - 0.5)
    const dy = Math.abs(py - 0.5)
    return dy <= r && dx <= (r * Math.sqrt(3)) / 2 && dx * 0.5 + dy * (Math.sqrt(3) / 2) <= (r * Math.sqrt(3)) / 2
  }
  const ring = hex(u, v, 0.42) && !hex(u, v, 0.33)
  const dot = (u - 0.5) ** 2 + (v - 0.5) ** 2 <= 0.12 ** 2
  return ring || dot ? 1 : 0
}

function crc32(bytes: Uint8Array): number {
  let c = ~0
  for (const b of bytes) {
    c ^= b
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1))
  }
  return ~c >>> 0
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  body.copy(out, 4)
  out.writeUInt32BE(crc32(body), 8 + data.length)
  return out
}

function drawPng(size: number, inset: number): Buffer {
  const raw = Buffer.alloc(size * (size * 3 + 1))
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0
    for (let x = 0; x < size; x++) {
      let cover = 0
      for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) cover += markAt((x + (sx + 0.5) / 4) / size, (y + (sy + 0.5) / 4) / size, inset)
      const a = cover / 16
      for (let ch = 0; ch < 3; ch++) raw[y * (size * 3 + 1) + 1 + x * 3 + ch] = Math.round(BG[ch]! * (1 - a) + FG[ch]! * a)
    }
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header[8] = 8 // bit depth
  header[9] = 2 // truecolour RGB
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array()),
  ])
}

for (const [name, size, inset] of [
  ['icon-192.png', 192, 0.06],
  ['icon-512.png', 512, 0.06],
  ['icon-maskable-512.png', 512, 0.16],
] as const) {
  writeFileSync(OUT + name, drawPng(size, inset))
  console.log(`wrote ${OUT}${name}`)
}
