/**
 * A minimal Server-Sent Events reader for tests: collects `incident` events from a streaming
 * response, so a test can wait for the ones it expects.
 */
export interface SseEvent {
  id: number
  /** The SSE event name (`incident`, or those asked for: `notice`, `notice-progress`). */
  event: string
  data: { id: number; incidentId: number; action: string; toStatus: string; incident: { gridCode: string; title: string } }
}

export class SseReader {
  readonly events: SseEvent[] = []
  private readonly done: Promise<void>
  private readonly reader: ReadableStreamDefaultReader<string>

  /** `onEvent` sees each event as it is parsed (benchmarks time arrivals with it). */
  constructor(
    response: Response,
    private readonly controller?: AbortController,
    onEvent?: (event: SseEvent) => void,
    names: readonly string[] = ['incident'],
  ) {
    const reader = (this.reader = response.body!.pipeThrough(new TextDecoderStream()).getReader())
    let buffer = ''
    this.done = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read()
          if (done) return
          buffer += value
          let end: number
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end)
            buffer = buffer.slice(end + 2)
            const fields = Object.fromEntries(
              block
                .split('\n')
                .filter((l) => l && !l.startsWith(':'))
                .map((l) => {
                  const at = l.indexOf(':')
                  return [l.slice(0, at), l.slice(at + 1).trimStart()]
                }),
            )
            if (names.includes(fields.event ?? '')) {
              const event = { id: Number(fields.id), event: fields.event!, data: JSON.parse(fields.data ?? 'null') }
              this.events.push(event)
              onEvent?.(event)
            }
          }
        }
      } catch {
        // aborted by the test
      }
    })()
  }

  /** Resolves once `predicate` holds for the events so far (polling), or rejects after `ms`. */
  async waitFor(predicate: (events: SseEvent[]) => boolean, ms = 10_000): Promise<SseEvent[]> {
    const deadline = Date.now() + ms
    while (!predicate(this.events)) {
      if (Date.now() > deadline) throw new Error(`SSE: condition not met; got ${this.events.length} events`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    return this.events
  }

  /** Whether the server ends the stream (its body is done) within `ms`. */
  async ended(ms = 10_000): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))
    const outcome = await Promise.race([this.done.then(() => true), late])
    clearTimeout(timer)
    return outcome
  }

  async close(): Promise<void> {
    this.controller?.abort()
    await this.reader.cancel().catch(() => {})
    await this.done
  }
}
