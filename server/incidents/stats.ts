/**
 * Keeps grid_incident_stats (incident figures per cell, by code prefix) fresh: recomputed a
 * moment after incidents change (coalescing bursts) and every minute, then tells the tile cache
 * so tiles carry the new figures. One statement, so readers never see half a refresh.
 */
import type { Sql } from '../db/connect.ts'
import { log } from '../log.ts'
import { committedEvents } from './committed-events.ts'
import { openFigures } from './sql/figures.ts'

/**
 * NOTIFY channel: incident figures were refreshed or the grid changed, so every API process on the
 * same PostgreSQL empties its tile cache (payload: the sending process's id, or `grid-import`).
 */
export const STATS_CHANNEL = 'gridscope_stats_refreshed'

export async function refreshIncidentStats(sql: Sql): Promise<void> {
  await sql`
    insert into grid_incident_stats as s (code, total, open, overdue, resolved, refreshed_at)
    select left(i.grid_code, grid_code_length(l.level)) as code,
           count(*),
           ${openFigures(sql)},
           count(*) filter (where i.status = 'closed'),
           now()
    from incident i
      -- The province and city levels only where the grid has them (a county deployment has not).
      cross join (select level from generate_series(-1, 5) as g(level) where exists (select from grid_cell where grid_cell.level = g.level)) as l
    group by 1
    on conflict (code) do update set total = excluded.total, open = excluded.open, overdue = excluded.overdue,
      resolved = excluded.resolved, refreshed_at = excluded.refreshed_at`
}

export class IncidentStatsRefresher {
  private timer: NodeJS.Timeout | null = null
  private readonly periodic: NodeJS.Timeout
  private running: Promise<void> = Promise.resolve()
  private readonly onEvent = () => this.schedule()

  constructor(
    private readonly sql: Sql,
    private readonly onRefreshed: () => void,
    private readonly delayMs = 2000,
    periodMs = 60_000,
  ) {
    committedEvents.on('event', this.onEvent)
    this.periodic = setInterval(() => this.schedule(0), periodMs).unref()
  }

  /** Refreshes after `delay` unless a refresh is already scheduled. */
  schedule(delay = this.delayMs): void {
    if (this.timer) return
    this.timer = setTimeout(() => {
      this.timer = null
      this.running = this.running.then(() => this.refresh())
    }, delay)
    this.timer.unref()
  }

  async refresh(): Promise<void> {
    try {
      await refreshIncidentStats(this.sql)
      this.onRefreshed()
    } catch (error) {
      log.warn({ err: error }, 'incident figures could not be refreshed')
    }
  }

  async stop(): Promise<void> {
    committedEvents.off('event', this.onEvent)
    clearInterval(this.periodic)
    if (this.timer) clearTimeout(this.timer)
    await this.running
  }
}
