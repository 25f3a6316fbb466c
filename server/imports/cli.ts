/**
 * `npm run import -- grid <file…> [options]`: imports a county's grid into the configured database
 * (DATABASE_URL, or the embedded one in DATA_DIR: stop `npm start` first). Exit status 2 when a
 * blocking problem was found (nothing written), 1 for input it cannot read.
 */
import { parseArgs } from 'node:util'
import { readConfig, StartupError } from '../config.ts'
import { openDatabase, type Sql } from '../db/connect.ts'
import { migrate } from '../db/migrate.ts'
import { log } from '../log.ts'
import { parseFieldMap } from './cells.ts'
import { ImportInputError, importGrid } from './grid-import.ts'
import { ReadError } from './readers/index.ts'
import { runBaseDataCommand } from '../base-data/command.ts'
import { isBaseDataKind } from '../base-data/kinds.ts'
import { TableReadError } from '../base-data/read-table.ts'

const USAGE = `Usage: npm run import -- grid <file…> [--layer NAME] [--crs EPSG:n|gcj02|bd09] [--encoding gbk]
    [--map code=FIELD,name=FIELD,level=FIELD,parent=FIELD] [--tolerance-m 5] [--effective YYYY-MM-DD]
    [--dry-run] [--report problems.geojson] [--yes]
       npm run import -- households|people|workers|party <file.xlsx|file.csv> [--dry-run] [--report errors.xlsx] [--yes]`

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      layer: { type: 'string' },
      crs: { type: 'string' },
      encoding: { type: 'string' },
      map: { type: 'string' },
      'tolerance-m': { type: 'string', default: '5' },
      effective: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      report: { type: 'string' },
      yes: { type: 'boolean', default: false },
    },
  })
  const [command, ...files] = positionals
  const out = (line: string) => process.stdout.write(`${line}\n`)
  if (command !== undefined && isBaseDataKind(command)) {
    if (files.length !== 1) throw new ImportInputError(USAGE)
    const options = { file: files[0]!, dryRun: values['dry-run'], report: values.report, yes: values.yes }
    return withDatabase((sql) => runBaseDataCommand(sql, command, options, out, tenthsProgress()))
  }
  if (command !== 'grid' || files.length === 0) throw new ImportInputError(USAGE)
  const toleranceM = Number(values['tolerance-m'])
  if (!Number.isFinite(toleranceM) || toleranceM < 0 || toleranceM > 1000) throw new ImportInputError('--tolerance-m: a number of metres from 0 to 1000')
  if (values.effective !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.effective)) throw new ImportInputError('--effective: a date YYYY-MM-DD')
  let lastStage = ''
  const progress = (stage: string, done: number, total: number) => {
    if (!process.stderr.isTTY) {
      if (stage !== lastStage) process.stderr.write(`${JSON.stringify({ progress: stage, done, total })}\n`)
    } else process.stderr.write(`\r${stage} ${done}/${total}   `)
    lastStage = stage
  }
  return withDatabase(async (sql) => {
    const result = await importGrid(
      sql,
      {
        files,
        layer: values.layer,
        crs: values.crs,
        encoding: values.encoding,
        map: values.map ? parseFieldMap(values.map) : undefined,
        toleranceM,
        effective: values.effective,
        dryRun: values['dry-run'],
        report: values.report,
        yes: values.yes,
      },
      out,
      progress,
    )
    return result.status
  })
}

async function withDatabase<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
  log.level = 'warn'
  const db = await openDatabase({ ...readConfig(), LOG_LEVEL: 'warn' })
  try {
    await migrate(db.sql)
    return await work(db.sql)
  } finally {
    await db.close()
  }
}

/** Progress of a long file to stderr as one JSON object per stage and tenth (the seed's style). */
function tenthsProgress() {
  const shown = new Map<string, number>()
  return (stage: string, done: number, total: number) => {
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100)
    if (shown.get(stage) === Math.floor(percent / 10) && done !== total) return
    shown.set(stage, Math.floor(percent / 10))
    process.stderr.write(`${JSON.stringify({ progress: stage, done, total, percent })}\n`)
  }
}

main().then(
  (status) => process.exit(status),
  (error) => {
    if (error instanceof ImportInputError || error instanceof ReadError || error instanceof TableReadError || error instanceof StartupError)
      process.stderr.write(`${error.message}\n`)
    else process.stderr.write(`npm run import failed: ${(error as Error).message}\n`)
    process.exit(1)
  },
)
