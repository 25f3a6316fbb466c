import { describe, expect, it } from 'vitest'
import { RingBuffer } from './ring-buffer.ts'

describe('RingBuffer', () => {
  it('keeps the newest items up to its capacity, oldest first', () => {
    const ring = new RingBuffer<number>(3)
    for (let i = 1; i <= 2; i++) ring.push(i)
    expect(ring.toArray()).toEqual([1, 2])
    for (let i = 3; i <= 10; i++) ring.push(i)
    expect(ring.size).toBe(3)
    expect(ring.toArray()).toEqual([8, 9, 10])
  })

  it('holds no more than its capacity however much is pushed', () => {
    const ring = new RingBuffer<{ id: number }>(100)
    for (let i = 0; i < 100_000; i++) ring.push({ id: i })
    expect(ring.size).toBe(100)
    expect(ring.toArray()[0]!.id).toBe(99_900)
  })

  it('drops from the oldest end while the predicate holds, across the wrap', () => {
    const ring = new RingBuffer<number>(4)
    for (const n of [1, 2, 3, 4, 5, 6]) ring.push(n)
    expect(ring.dropWhile((n) => n < 5)).toBe(2)
    expect(ring.toArray()).toEqual([5, 6])
    ring.push(7)
    expect(ring.toArray()).toEqual([5, 6, 7])
    expect(ring.dropWhile(() => true)).toBe(3)
    expect(ring.size).toBe(0)
    ring.push(8)
    expect(ring.toArray()).toEqual([8])
  })

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError)
    expect(() => new RingBuffer(1.5)).toThrow(RangeError)
  })
})
