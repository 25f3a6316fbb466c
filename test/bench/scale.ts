/**
 * Province scale ÷ Dianbai scale (`npm run bench -- scale`): the same requests through the same API
 * code (the app in memory, no HTTP) on two PostgreSQL databases of the same machine, a round on one
 * then on the other, the order swapped each round so drift on a shared machine hits both alike:
 * BENCH_DATABASE_URL, one county: the demo seed (Dianbai: 13,932 cells, 40,000 incidents), or the
 * province's own Dianbai alone (`npm run generate -- province --codes 440904 --incidents 152539`
 * builds the very incidents the full province gives Dianbai, so the ratio is the cost of the 97
 * other counties and not of Dianbai's 3.8 times more rows); and
 * BENCH_PROVINCE_URL, a province built by `npm run generate -- province`. Each viewer is its
 * deployment's commander (scope 440904 on the county, 44 on the province). Measured:
 * - tile p95 over a z6–z16 sample around Dianbai (uncached: TileCache(0));
 * - a grid's detail with its roll-up (GET /api/grids/:code for the county, a town, a village, a
 *   household group), median;
 * - the analyst summary and the binary points of Dianbai for 12 months (range=12m, grid=440904):
 *   the time, and the time per incident (the province gives Dianbai more incidents than the demo);
 * - the summary of the whole deployment for 12 months: the province's against the county's.
 * Ratios are province ÷ county, the median of the rounds' ratios with their spread.
 */
import { readConfig } from '../../server/config.ts'
import { type Database, openDatabase } from '../../server/db/connect.ts'
import { createApp } from '../../server/app.ts'
import { prepareDatabase } from '../../server/server.ts'
import { migrate } from '../../server/db/migrate.ts'
import { TileCache } from '../../server/tiles/cache.ts'
import { asViewer, signIn, type RequestTarget } from '../support/auth.ts'
import { fixedTileSet } from './tiles.ts'
import { median, percentile } from './support/machine.ts'

const ROUNDS = Number(process.env.BENCH_SCALE_ROUNDS ?? 5)
const DIANBAI = '440904'
/** Statements over ten million rows take seconds: a roomier timeout than the API's default, on both. */
const TIMEOUT_MS = '300000'

export interface ScaleSide {
  label: string
  incidents: number
  cells: number
  tileP95Ms: number[]
  detailMs: number[]
  summaryMs: number[]
  pointsMs: number[]
  /** Dianbai's incidents in the 12 months (x-total-count of the points). */
  dianbaiPoints: number
  wholeSummaryMs: number[]
}

export interface ScaleFigures {
  county: ScaleSide
  province: ScaleSide
  tiles: number
  detailCodes: string[]
}

export async function benchScale(countyUrl: string, provinceUrl: string, say: (line: string) => void = () => {}): Promise<ScaleFigures> {
  const countyDb = await prepareDatabase(readConfig({ DATABASE_URL: countyUrl, LOG_LEVEL: 'warn', STATEMENT_TIMEOUT_MS: TIMEOUT_MS }))
  const provinceDb = await openDatabase(readConfig({ DATABASE_URL: provinceUrl, LOG_LEVEL: 'warn', STATEMENT_TIMEOUT_MS: TIMEOUT_MS }))
  try {
    const [root] = await provinceDb.sql<{ code: string }[]>`select code from grid_cell where level = -1`
    if (!root) throw new Error('BENCH_PROVINCE_URL holds no province: build one with npm run generate -- province')
    // As the API does on start: a province built before a migration gets it (no demo seed here).
    await migrate(provinceDb.sql)
    const codes = await detailCodes(countyDb)
    const tiles = sampleTiles()
    const county = await side(countyDb, 'county', DIANBAI)
    const province = await side(provinceDb, 'province', root.code)
    say(`county: ${county.figures.cells.toLocaleString('en')} cells, ${county.figures.incidents.toLocaleString('en')} incidents`)
    say(`province: ${province.figures.cells.toLocaleString('en')} cells, ${province.figures.incidents.toLocaleString('en')} incidents`)
    // One warm-up round each (prepared statements, caches), not counted.
    for (const s of [county, province]) await round(s, tiles, codes)
    for (let r = 0; r < ROUNDS; r++) {
      for (const s of r % 2 === 0 ? [county, province] : [province, county]) {
        const figures = await round(s, tiles, codes)
        s.figures.tileP95Ms.push(figures.tileP95)
        s.figures.detailMs.push(figures.detail)
        s.figures.summaryMs.push(figures.summary)
        s.figures.pointsMs.push(figures.points)
        s.figures.wholeSummaryMs.push(figures.whole)
        s.figures.dianbaiPoints = figures.dianbaiPoints
      }
      say(
        `round ${r + 1}/${ROUNDS}: province whole summary ${(province.figures.wholeSummaryMs.at(-1)! / 1000).toFixed(1)} s, Dianbai points ${province.figures.pointsMs.at(-1)!.toFixed(0)} ÷ ${county.figures.pointsMs.at(-1)!.toFixed(0)} ms`,
      )
    }
    return { county: county.figures, province: province.figures, tiles: tiles.length, detailCodes: codes }
  } finally {
    await countyDb.close()
    await provinceDb.close()
  }
}

interface Side {
  app: RequestTarget
  figures: ScaleSide
}

async function side(db: Database, label: string, scope: string): Promise<Side> {
  const app = asViewer(createApp(db, { tileCache: new TileCache(0) }), await signIn(db, 'commander', scope))
  const [counts] = await db.sql<{ incidents: number; cells: number }[]>`
    select (select count(*) from incident)::int as incidents, (select count(*) from grid_cell)::int as cells`
  return {
    app,
    figures: { label, ...counts!, tileP95Ms: [], detailMs: [], summaryMs: [], pointsMs: [], dianbaiPoints: 0, wholeSummaryMs: [] },
  }
}

/** The county, its first town, that town's first village and that village's first household group. */
async function detailCodes(db: Database): Promise<string[]> {
  const codes = [DIANBAI]
  for (let level = 2; level <= 5; level += level === 3 ? 2 : 1) {
    const [row] = await db.sql<{ code: string }[]>`
      select code from grid_cell where level = ${level} and code like ${`${codes.at(-1)!}%`} order by code limit 1`
    codes.push(row!.code)
  }
  return codes
}

/** The tiles.ts set (z8–z16 at four places in Dianbai) and z6, z7 over the district seat. */
function sampleTiles(): string[] {
  const low = [6, 7].map((z) => {
    const n = 2 ** z
    const [lon, lat] = [111.01, 21.5]
    const rad = (lat * Math.PI) / 180
    return `${z}/${Math.floor(((lon + 180) / 360) * n)}/${Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n)}`
  })
  return [...low, ...fixedTileSet().map((t) => `${t.z}/${t.x}/${t.y}`)]
}

async function timedRequest(app: RequestTarget, path: string): Promise<{ ms: number; response: Response }> {
  const started = performance.now()
  const response = await app.request(path)
  await response.arrayBuffer()
  const ms = performance.now() - started
  if (!response.ok) throw new Error(`${path}: ${response.status}`)
  return { ms, response }
}

async function round(s: Side, tiles: string[], codes: string[]) {
  const tileMs: number[] = []
  for (const t of tiles) tileMs.push((await timedRequest(s.app, `/tiles/grids/${t}.mvt`)).ms)
  const detail: number[] = []
  for (const code of codes) detail.push((await timedRequest(s.app, `/api/grids/${code}`)).ms)
  const summary = await timedRequest(s.app, `/api/incidents/summary?range=12m&grid=${DIANBAI}`)
  const points = await timedRequest(s.app, `/api/incidents/points?range=12m&grid=${DIANBAI}`)
  const whole = await timedRequest(s.app, '/api/incidents/summary?range=12m')
  return {
    tileP95: percentile(tileMs, 95),
    detail: median(detail),
    summary: summary.ms,
    points: points.ms,
    dianbaiPoints: Number(points.response.headers.get('x-total-count')),
    whole: whole.ms,
  }
}

/** The report's lines: province ÷ county per round, median and spread. */
export function describeScale(f: ScaleFigures): string[] {
  const ratios = (a: number[], b: number[]) => a.map((x, i) => x / b[i]!)
  const line = (what: string, p: number[], c: number[], unit = 'ms') => {
    const r = ratios(p, c)
    return `  ${what}: ${median(r).toFixed(2)} (${Math.min(...r).toFixed(2)}–${Math.max(...r).toFixed(2)} over ${r.length} rounds; ${median(p).toFixed(0)} ÷ ${median(c).toFixed(0)} ${unit})`
  }
  const perPoint = (ms: number[], n: number) => ms.map((x) => x / Math.max(1, n))
  const { county: c, province: p } = f
  return [
    `  county: ${c.cells.toLocaleString('en')} cells, ${c.incidents.toLocaleString('en')} incidents; province: ${p.cells.toLocaleString('en')} cells, ${p.incidents.toLocaleString('en')} incidents`,
    line(`tile p95, ${f.tiles} tiles z6–z16 (uncached)`, p.tileP95Ms, c.tileP95Ms),
    line(`grid detail with roll-up, median of ${f.detailCodes.join(', ')}`, p.detailMs, c.detailMs),
    line(`analyst summary of Dianbai, 12 months`, p.summaryMs, c.summaryMs),
    line(
      `binary points of Dianbai, 12 months (${p.dianbaiPoints.toLocaleString('en')} ÷ ${c.dianbaiPoints.toLocaleString('en')} points)`,
      p.pointsMs,
      c.pointsMs,
    ),
    `    per point: ${median(ratios(perPoint(p.pointsMs, p.dianbaiPoints), perPoint(c.pointsMs, c.dianbaiPoints))).toFixed(2)}; summary per Dianbai incident: ${median(ratios(perPoint(p.summaryMs, p.dianbaiPoints), perPoint(c.summaryMs, c.dianbaiPoints))).toFixed(2)}`,
    line('summary of the whole deployment, 12 months (province ÷ county)', p.wholeSummaryMs, c.wholeSummaryMs),
    `    province-wide summary: median ${(median(p.wholeSummaryMs) / 1000).toFixed(1)} s (${(Math.min(...p.wholeSummaryMs) / 1000).toFixed(1)}–${(Math.max(...p.wholeSummaryMs) / 1000).toFixed(1)} s; target within 10 s)`,
  ]
}
