/**
 * Deterministic randomness. Every random choice is drawn from a generator seeded by a hash of
 * the cell code it concerns plus a purpose tag ("seeds", "households", …), never from a shared
 * stream: editing one town then leaves every other town's numbers untouched, and the order in
 * which cells happen to be processed can never change the output. No Math.random, no clock.
 */

/** 32-bit FNV-1a over UTF-16 code units, finished with a murmur3 avalanche so close strings spread. */
export function hashString(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}

/** mulberry32: tiny, fast and good enough for synthetic data; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export interface Rng {
  /** Float in [0, 1). */
  next(): number
  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number
  /** Float in [min, max). */
  range(min: number, max: number): number
  pick<T>(items: readonly T[]): T
}

/** A generator for one cell and one purpose, e.g. rngFor('440904001001', 'households'). */
export function rngFor(...parts: (string | number)[]): Rng {
  const next = mulberry32(hashString(parts.join('|')))
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    range: (min, max) => min + next() * (max - min),
    pick: (items) => items[Math.floor(next() * items.length)]!,
  }
}
