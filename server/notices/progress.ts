/**
 * Progress events, coalesced. Each acknowledgement, reply and delivery is stored as its own row
 * at once, but the live feed gets at most one `notice-progress` event per notice per interval,
 * carrying the counts recounted when it is written: at thousands of acknowledgements a minute,
 * every open page gets a handful of events instead of one per acknowledgement.
 *
 * The counts stay right at the end: the event's counts are read after the feed's ordering lock is
 * taken (events.ts), so a later event never carries older counts; and a change committed after
 * a flush's recount marks its notice again, so another event follows it.
 */
import type { Sql } from '../db/connect.ts'
import { log } from '../log.ts'
import { announceNoticeEvent, appendNoticeEvent } from './events.ts'

/** One event per notice per this many milliseconds at most. */
export const PROGRESS_INTERVAL_MS = 1000

interface Dirty {
  actions: Set<string>
  cells: Set<string>
}

export class ProgressCoalescer {
  private dirty = new Map<number, Dirty>()
  private timer: NodeJS.Timeout | null = null
  private flushing: Promise<void> = Promise.resolve()

  constructor(
    private readonly sql: Sql,
    private readonly intervalMs = PROGRESS_INTERVAL_MS,
  ) {}

  /** Notes a committed change of a notice's progress (`action` names it; `cells` whose workers see the event). */
  note(noticeId: number, action: string, cells: string[]): void {
    let entry = this.dirty.get(noticeId)
    if (!entry) this.dirty.set(noticeId, (entry = { actions: new Set(), cells: new Set() }))
    entry.actions.add(action)
    for (const cell of cells) entry.cells.add(cell)
    this.timer ??= setTimeout(() => void this.flush(), this.intervalMs)
  }

  /** Writes one progress event per notice changed since the last flush. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const batch = this.dirty
    this.dirty = new Map()
    // Flushes run one after another, so their events are in the order their recounts were taken.
    this.flushing = this.flushing.then(async () => {
      for (const [noticeId, { actions, cells }] of batch) {
        try {
          const id = await this.sql.begin((tx) =>
            appendNoticeEvent(tx, {
              noticeId,
              kind: 'notice-progress',
              // One kind of change keeps its name (a page may show it); a mix is plain progress.
              action: actions.size === 1 ? [...actions][0]! : 'progress',
              cells: [...cells],
            }),
          )
          announceNoticeEvent(id)
        } catch (error) {
          log.warn({ err: error, notice: noticeId }, 'notice progress: writing the event failed')
        }
      }
    })
    return this.flushing
  }
}
