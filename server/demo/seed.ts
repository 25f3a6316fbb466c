/**
 * What a fresh database is given so the product has something to show: the generated grid (on
 * an empty grid table) and, with DEMO_HISTORY, 12 months of incident history (on an empty
 * incident table), with the cells' incident figures computed at once.
 */
import type { Sql } from '../db/connect.ts'
import { readCategories } from '../incidents/categories.ts'
import { refreshIncidentStats } from '../incidents/stats.ts'
import { log } from '../log.ts'
import { generateHistory, insertHistory, isIncidentTableEmpty, loadAssigneePool, loadIncidentCells, type IncidentCell } from './history.ts'
import { isGridEmpty, seedGrid, type SeedProgress } from './seed-grid.ts'

export type { SeedProgress } from './seed-grid.ts'

export async function seedDemo(sql: Sql, options: { sourceDir: string; history: boolean }, onSeedProgress?: SeedProgress): Promise<void> {
  let cells: IncidentCell[] | undefined
  if (await isGridEmpty(sql)) {
    const started = Date.now()
    log.info({ source: options.sourceDir }, 'empty database: seeding the demo grid')
    const grid = await seedGrid(sql, options.sourceDir, onSeedProgress)
    cells = grid.cells
    log.info({ cells: grid.cells.length, ms: Date.now() - started }, 'demo grid seeded')
  }
  if (options.history && (await isIncidentTableEmpty(sql))) {
    const started = Date.now()
    log.info('no incidents yet: seeding 12 months of demo history')
    // Dispatches name the grid's people and the departments there are (the demo's, seeded first when on).
    const history = generateHistory({
      cells: cells ?? (await loadIncidentCells(sql)),
      categories: await readCategories(),
      end: new Date(),
      assignees: await loadAssigneePool(sql),
    })
    const inserted = await insertHistory(sql, history, onSeedProgress)
    log.info({ incidents: inserted.incidents, events: inserted.events, ms: Date.now() - started }, 'demo history seeded')
    // The cells' incident figures (tiles, choropleth) are right from the first request.
    await refreshIncidentStats(sql)
  }
}
