/**
 * One live client's writes, sent one after another in the order they were queued. A client that
 * falls this far behind (a stalled reader) is dropped rather than buffered without end: it
 * reconnects with Last-Event-ID and replays from the table.
 */
const MAX_PENDING = 5000

export class WriteQueue {
  private pending = 0
  private tail: Promise<void> = Promise.resolve()

  constructor(private readonly drop: () => void) {}

  /** Queues a write; a write that fails drops the client. */
  push(write: () => Promise<void>): void {
    if (++this.pending > MAX_PENDING) {
      this.drop()
      return
    }
    this.tail = this.tail
      .then(write)
      .catch(() => this.drop())
      .finally(() => {
        this.pending--
      })
  }

  /** Resolves when everything queued so far is written: a replay waits on it before its next page. */
  drained(): Promise<void> {
    return this.tail
  }
}
