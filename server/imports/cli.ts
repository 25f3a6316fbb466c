/**
 * `npm run import -- grid <file…> [options]`: imports a county's grid into the configured database
 * (DATABASE_URL, or the embedded one in DATA_DIR: stop `npm start` first). Exit status 2 when a
 * blocking problem was found (nothing written), 1 for input it cannot read.
 */
import { parseArgs } from 'node:util'
import { readConfig, StartupError } from '../config.ts'
import { openDatabase } from '../db/connect.ts'
import { migrate } from '../db/migrate.ts'
import { log } from '../log.ts'
import { parseFieldMap } from './cells.ts'
import { ImportInputError, importGrid } from './grid-import.ts'
import { ReadError } from './readers/index.ts'

const USAGE = `Usage: npm run import -- grid <file…> [--layer NAME] [--crs EPSG:n|gcj02|bd09] [--encoding gbk]
    [--map code=FIELD,name=FIELD,level=FIELD,parent=FIELD] [--tolerance-m 5] [--effective YYYY-MM-DD]
    [--dry-run] [--report problems.geojson] [--yes]`

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
  if (command !== 'grid' || files.length === 0) throw new ImportInputError(USAGE)
  const toleranceM = Number(values['tolerance-m'])
  if (!Number.isFinite(toleranceM) || toleranceM < 0 || toleranceM > 1000) throw new ImportInputError('--tolerance-m: a number of metres from 0 to 1000')
  if (values.effective !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.effective)) throw new ImportInputError('--effective: a date YYYY-MM-DD')
  log.level = 'warn'
  const db = await openDatabase({ ...readConfig(), LOG_LEVEL: 'warn' })
  const out = (line: string) => process.stdout.write(`${line}\n`)
  let lastStage = ''
  const progress = (stage: string, done: number, total: number) => {
    if (!process.stderr.isTTY) {
      if (stage !== lastStage) process.stderr.write(`${JSON.stringify({ progress: stage, done, total })}\n`)
    } else process.stderr.write(`\r${stage} ${done}/${total}   `)
    lastStage = stage
  }
  try {
    await migrate(db.sql)
    const result = await importGrid(
      db.sql,
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
  } finally {
    await db.close()
  }
}

main().then(
  (status) => process.exit(status),
  (error) => {
    if (error instanceof ImportInputError || error instanceof ReadError || error instanceof StartupError) process.stderr.write(`${error.message}\n`)
    else process.stderr.write(`npm run import failed: ${(error as Error).message}\n`)
    process.exit(1)
  },
)
