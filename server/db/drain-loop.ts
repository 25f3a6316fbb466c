/**
 * Runs a drain (read what is new in a table and hand it on) one at a time: a trigger during a
 * drain runs it once more afterwards, so nothing committed meanwhile waits for the next trigger.
 * A drain that fails is logged and tried again on the next trigger; once the database client has
 * ended (the app is gone without stopping its readers), `ended` is called instead.
 */
import { log } from '../log.ts'

export interface DrainOptions {
  /** One pass: everything new, page by page. */
  drain(): Promise<void>
  /** False once the owner stops: no new pass starts. */
  active(): boolean
  /** Logged when a pass fails. */
  failure: string
  ended?(): void
}

export class DrainLoop {
  private current: Promise<void> | null = null
  private again = false

  constructor(private readonly options: DrainOptions) {}

  /** The pass under way, if any. */
  get running(): Promise<void> | null {
    return this.current
  }

  trigger(): void {
    if (!this.options.active()) return
    if (this.current) {
      this.again = true
      return
    }
    this.current = (async () => {
      do {
        this.again = false
        try {
          await this.options.drain()
        } catch (error) {
          if ((error as { code?: string }).code === 'CONNECTION_ENDED' && this.options.ended) this.options.ended()
          else log.warn({ err: error }, this.options.failure)
        }
      } while (this.again && this.options.active())
      this.current = null
    })()
  }
}
