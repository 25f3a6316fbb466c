/**
 * `npm run generate [county-folder] [output.json]`: the demo grid as JSON (data/generate/cli.ts).
 * `npm run generate -- province [--counties N | --codes 440904,440902] [--incidents N] [--end ISO]`:
 * a synthetic province built into the PostgreSQL database in DATABASE_URL (province.ts), which must
 * be empty and of its own. Progress goes to stderr, structured log lines to stdout.
 */
import { parseArgs } from 'node:util'
import { join } from 'node:path'
import { readConfig } from '../config.ts'
import { openDatabase } from '../db/connect.ts'
import { migrate } from '../db/migrate.ts'
import { loadCategories } from '../incidents/categories.ts'
import { buildProvince, DIANBAI_CODE, defaultEnd } from './province.ts'

const repo = new URL('../../', import.meta.url).pathname

if (process.argv[2] !== 'province') {
  await import('../../data/generate/cli.ts')
} else {
  const { values } = parseArgs({
    args: process.argv.slice(3),
    options: { counties: { type: 'string' }, codes: { type: 'string' }, incidents: { type: 'string', default: '10000000' }, end: { type: 'string' } },
  })
  const count = (name: string, text: string | undefined) => {
    if (text === undefined) return undefined
    const n = Number(text)
    if (!Number.isInteger(n) || n < 0) fail(`--${name} must be a whole number ≥ 0, got ${text}`)
    return n
  }
  const end = values.end ? new Date(values.end) : defaultEnd()
  if (Number.isNaN(end.getTime())) fail(`--end must be a date-time, got ${values.end}`)
  if (!process.env.DATABASE_URL) {
    fail(
      'The province is built on a PostgreSQL database of its own: set DATABASE_URL to an empty PostgreSQL ≥ 15 with PostGIS ' +
        '(createdb, then DATABASE_URL=postgres://…/name). The embedded database holds one county and cannot load ten million incidents by COPY.',
    )
  }
  // Index builds and unions run for minutes at full scale: no statement timeout for this command.
  const db = await openDatabase(readConfig({ ...process.env, STATEMENT_TIMEOUT_MS: String(24 * 3_600_000) }))
  const started = performance.now()
  try {
    await migrate(db.sql)
    await loadCategories(db.sql)
    let last = ''
    const result = await buildProvince(
      db.sql,
      {
        provinceDir: join(repo, 'data', 'guangdong'),
        countyFolders: new Map([[DIANBAI_CODE, join(repo, 'data', 'dianbai')]]),
        counties: count('counties', values.counties),
        codes: values.codes?.split(',').map((c) => c.trim()),
        incidents: count('incidents', values.incidents)!,
        end,
      },
      (stage, done, total) => {
        const line = `province: ${stage} ${done}/${total}`
        if (process.stderr.isTTY) process.stderr.write(`\r${line.slice(0, 100).padEnd(100)}`)
        else if (done === total && line !== last) process.stderr.write(`${line}\n`)
        last = line
      },
    )
    if (process.stderr.isTTY) process.stderr.write('\n')
    console.log(
      `province built in ${((performance.now() - started) / 1000).toFixed(0)} s: ${result.counties.length} counties, ${result.cells.toLocaleString('en')} cells, ` +
        `${result.people.toLocaleString('en')} grid persons, ${result.incidents.toLocaleString('en')} incidents to ${result.end}`,
    )
    console.log(
      `stages (s): ${Object.entries(result.stages)
        .map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)}`)
        .join(', ')}`,
    )
    if (result.left.length) console.log(`left out: ${result.left.map((c) => `${c.code} ${c.name} (${c.why.slice(0, 80)})`).join('; ')}`)
  } finally {
    await db.close()
  }
}

function fail(message: string): never {
  console.error(message)
  process.exit(2)
}
