/**
 * A bounded queue for password hashing (scrypt: ~50 ms of CPU and 16 MiB each, run on Node's
 * thread pool). At most `concurrency` hashes run at once, so the pool keeps threads for file, zlib
 * and DNS work of every other request; at most `capacity` wait, and beyond that `run` fails at once
 * with QueueFullError instead of letting the wait (and the answer time) grow without end.
 */
export class QueueFullError extends Error {}

export class HashQueue {
  private running = 0
  private readonly waiting: (() => void)[] = []

  constructor(
    readonly concurrency: number,
    readonly capacity: number,
  ) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.capacity) throw new QueueFullError('hash queue full')
      await new Promise<void>((resolve) => this.waiting.push(resolve))
    } else {
      this.running++
    }
    try {
      return await work()
    } finally {
      const next = this.waiting.shift()
      if (next)
        next() // the slot passes on to the next in line
      else this.running--
    }
  }

  get depth(): number {
    return this.waiting.length
  }
}
