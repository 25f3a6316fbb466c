/**
 * A fixed-capacity ring: pushing past capacity overwrites the oldest item, so whatever arrives
 * over days of running, the memory held stays the same. Items are kept in arrival order;
 * `dropOlderThan` lets go of the oldest ones while a predicate holds (ageing out).
 */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[]
  private start = 0
  private length = 0

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer')
    this.items = new Array<T | undefined>(capacity)
  }

  get size(): number {
    return this.length
  }

  push(item: T): void {
    if (this.length < this.capacity) {
      this.items[(this.start + this.length) % this.capacity] = item
      this.length++
    } else {
      this.items[this.start] = item
      this.start = (this.start + 1) % this.capacity
    }
  }

  /** Removes items from the oldest end while `isStale` holds for them; returns how many went. */
  dropWhile(isStale: (item: T) => boolean): number {
    let dropped = 0
    while (this.length > 0 && isStale(this.items[this.start] as T)) {
      this.items[this.start] = undefined
      this.start = (this.start + 1) % this.capacity
      this.length--
      dropped++
    }
    return dropped
  }

  clear(): void {
    this.items.fill(undefined)
    this.start = 0
    this.length = 0
  }

  /** Oldest first. */
  toArray(): T[] {
    const out = new Array<T>(this.length)
    for (let i = 0; i < this.length; i++) out[i] = this.items[(this.start + i) % this.capacity] as T
    return out
  }
}
