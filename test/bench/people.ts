/**
 * The base-data import's cost against the plainest way to put the same rows in the same table:
 * 100,000 people rows (a CSV of 20,000 homes × 5 residents, homes imported first, once) imported
 * with every step, reading the file, the row checks (GB 11643 and the rest), loading them into
 * the transaction's table, the database's checks and writing the residents (then rolled back, as
 * without --yes) ÷ a COPY of the same rows into `resident` in one transaction, rolled back.
 * Alternating rounds, median. PGlite cannot take COPY FROM STDIN: there the baseline is one
 * INSERT … SELECT of the same rows from a JSON parameter, and says so.
 */
import type { Database } from '../../server/db/connect.ts'
import { importBaseData } from '../../server/base-data/service.ts'
import { csvOf, HOUSEHOLD_HEADER, homesUnder, householdRows, PEOPLE_HEADER, peopleRows, residentsOf } from '../support/base-data-fixture.ts'

const ROUNDS = 3
const HOMES = 20_000
const PER_HOME = 5

export interface PeopleBench {
  rows: number
  baseline: 'COPY' | 'INSERT … SELECT'
  homesMs: number
  importMs: number[]
  baselineMs: number[]
  stages: Record<string, number>
}

class Rollback extends Error {}

export async function benchPeople(db: Database): Promise<PeopleBench> {
  const cells = await db.sql<{ n: number }[]>`select count(*)::int as n from grid_cell where level = 5`
  const perCell = Math.ceil(HOMES / cells[0]!.n)
  const homes = (await homesUnder(db.sql, '', cells[0]!.n, perCell, 'BENCH')).slice(0, HOMES)
  let start = performance.now()
  const homeResult = await importBaseData(db.sql, { kind: 'households', bytes: csvOf(HOUSEHOLD_HEADER, householdRows(homes)), format: 'csv', apply: true })
  if (homeResult.problems.length > 0) throw new Error(`bench homes: ${homeResult.problems[0]!.why}`)
  const homesMs = performance.now() - start
  const people = residentsOf(homes, PER_HOME, '440904', 0)
  const file = csvOf(PEOPLE_HEADER, peopleRows(people))
  const ids = new Map((await db.sql<{ code: string; id: number }[]>`select code, id from household where code like 'BENCH%'`).map((r) => [r.code, r.id]))
  const rows = people.map((p) => ({
    id_number: p.idNumber,
    household_id: ids.get(p.household)!,
    kind: p.kind === '流动' ? 'floating' : 'registered',
    full_name: p.name,
    phone: p.phone,
  }))
  const copyable = db.mode !== 'embedded'
  const result: PeopleBench = { rows: people.length, baseline: copyable ? 'COPY' : 'INSERT … SELECT', homesMs, importMs: [], baselineMs: [], stages: {} }
  for (let round = 0; round < ROUNDS; round++) {
    start = performance.now()
    let stage = ''
    let stageStart = start
    const outcome = await importBaseData(db.sql, { kind: 'people', bytes: file, format: 'csv', apply: false }, (name) => {
      if (name === stage) return
      if (stage && round === ROUNDS - 1) result.stages[stage] = performance.now() - stageStart
      stage = name
      stageStart = performance.now()
    })
    if (round === ROUNDS - 1) result.stages[stage] = performance.now() - stageStart
    result.importMs.push(performance.now() - start)
    if (outcome.problems.length > 0 || outcome.counts?.added !== people.length)
      throw new Error(`bench people: ${JSON.stringify(outcome.counts)} ${outcome.problems[0]?.why}`)
    start = performance.now()
    try {
      await db.sql.begin(async (tx) => {
        if (copyable) {
          const copy = await tx`copy resident (id_number, household_id, kind, full_name, phone) from stdin`.writable()
          const text = `${rows.map((r) => `${r.id_number}\t${r.household_id}\t${r.kind}\t${r.full_name}\t${r.phone}`).join('\n')}\n`
          await new Promise<void>((resolve, reject) => {
            copy.on('error', reject)
            copy.on('finish', resolve)
            copy.end(text)
          })
        } else {
          await tx`insert into resident (id_number, household_id, kind, full_name, phone)
                   select * from json_to_recordset(${tx.json(rows as never)}::json) as r(id_number text, household_id bigint, kind text, full_name text, phone text)`
        }
        throw new Rollback()
      })
    } catch (error) {
      if (!(error instanceof Rollback)) throw error
    }
    result.baselineMs.push(performance.now() - start)
  }
  return result
}

export function describePeople(b: PeopleBench): string[] {
  const median = (xs: number[]) => [...xs].sort((a, c) => a - c)[Math.floor(xs.length / 2)]!
  const ratio = median(b.importMs) / median(b.baselineMs)
  return [
    `  import of ${b.rows.toLocaleString('en')} people rows (CSV) ÷ ${b.baseline} of the same rows into resident: ${ratio.toFixed(1)} (${(median(b.importMs) / 1000).toFixed(1)} s ÷ ${(median(b.baselineMs) / 1000).toFixed(2)} s, median of ${b.importMs.length})`,
    `  stages of the last round: ${Object.entries(b.stages)
      .map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`)
      .join(', ')}`,
    `  (before the rounds, the 20,000 homes imported, or found unchanged on a database that has them: ${(b.homesMs / 1000).toFixed(1)} s)`,
  ]
}
