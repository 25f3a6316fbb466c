/**
 * OGC API – Features as a GIS client reads it, with an API token:
 * (a) one items page of 1,000 household groups over HTTP ÷ the same two statements (the page
 *     and its numberMatched) run directly through postgres.js, body read to the end both ways;
 * (b) walking every household group through the `next` links (1,000 a page) ÷ one statement
 *     selecting all of them as the same GeoJSON features.
 * Runs alternate HTTP and direct so the machine's noise falls on both; each round gives a ratio,
 * reported as the median with the spread (min–max) of the rounds.
 */
import { addApiToken } from '../../server/access/api-tokens.ts'
import type { Database } from '../../server/db/connect.ts'
import { findCollection, propertiesJson } from '../../server/ogc/collections.ts'
import { readFeaturePage } from '../../server/ogc/features.ts'
import { parseItemsQuery } from '../../server/ogc/items-query.ts'
import { median } from './support/machine.ts'
import { serveApp } from './support/bench-server.ts'

const DISTRICT = '440904'
const PAGE = 1000
const ROUNDS = 7

export interface Ratio {
  median: number
  min: number
  max: number
  httpMs: number
  sqlMs: number
}

export interface OgcFigures {
  features: number
  page: Ratio
  pageBytes: number
  walk: Ratio
  walkPages: number
}

function summarise(http: number[], direct: number[]): Ratio {
  const ratios = http.map((h, i) => h / direct[i]!)
  return { median: median(ratios), min: Math.min(...ratios), max: Math.max(...ratios), httpMs: median(http), sqlMs: median(direct) }
}

async function timed<T>(task: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now()
  const result = await task()
  return [performance.now() - started, result]
}

export async function benchOgc(db: Database): Promise<OgcFigures> {
  const collection = findCollection('household-groups')!
  const { token } = await addApiToken(db.sql, { name: `bench ogc ${Date.now()}`, role: 'analyst', scope: DISTRICT })
  const server = await serveApp(db)
  const headers = { authorization: `Bearer ${token}`, accept: 'application/geo+json' }
  const sql = db.sql

  const httpPage = async () => {
    const res = await fetch(`${server.url}/ogc/collections/household-groups/items?limit=${PAGE}`, { headers })
    if (res.status !== 200) throw new Error(`items: ${res.status} ${await res.text()}`)
    return (await res.text()).length
  }
  const sqlPage = async () => {
    const page = await readFeaturePage(sql, collection, DISTRICT, parseItemsQuery(sql, collection, new URLSearchParams({ limit: String(PAGE) })))
    return page.features.reduce((n, f) => n + f.length, 0)
  }
  const httpWalk = async () => {
    let url: string | undefined = `${server.url}/ogc/collections/household-groups/items?limit=${PAGE}`
    let features = 0
    let pages = 0
    while (url) {
      const res: Response = await fetch(url, { headers })
      if (res.status !== 200) throw new Error(`walk: ${res.status} ${await res.text()}`)
      const doc = (await res.json()) as { features: unknown[]; links: { rel: string; type: string; href: string }[] }
      features += doc.features.length
      pages++
      url = doc.links.find((l) => l.rel === 'next' && l.type === 'application/geo+json')?.href
    }
    return { features, pages }
  }
  const id = collection.idExpr(sql)
  const sqlAll = async () => {
    const rows = await sql<{ feature: string }[]>`
      select json_build_object('type', 'Feature', 'id', ${id}::text,
          'geometry', ST_AsGeoJSON(${collection.geometry(sql)}, 7)::json, 'properties', ${propertiesJson(sql, collection)})::text as feature
      from ${collection.from(sql, DISTRICT)} order by ${id}`
    return rows.length
  }

  try {
    // Warm both paths (plans, connections, the token) before measuring.
    await httpPage()
    await sqlPage()
    const pageHttp: number[] = []
    const pageSql: number[] = []
    const walkHttp: number[] = []
    const walkSql: number[] = []
    let pageBytes = 0
    let walked = { features: 0, pages: 0 }
    let all = 0
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which goes first, so a slow moment does not always land on the same side.
      const first = round % 2 === 0
      if (first) pageHttp.push((await timed(httpPage))[0])
      const [sqlMs] = await timed(sqlPage)
      pageSql.push(sqlMs)
      if (!first) pageHttp.push((await timed(httpPage))[0])
      pageBytes = await httpPage()

      if (first) {
        const [ms, w] = await timed(httpWalk)
        walkHttp.push(ms)
        walked = w
      }
      const [allMs, n] = await timed(sqlAll)
      walkSql.push(allMs)
      all = n
      if (!first) {
        const [ms, w] = await timed(httpWalk)
        walkHttp.push(ms)
        walked = w
      }
    }
    if (walked.features !== all) throw new Error(`the walk returned ${walked.features} features, the statement ${all}`)
    return { features: all, page: summarise(pageHttp, pageSql), pageBytes, walk: summarise(walkHttp, walkSql), walkPages: walked.pages }
  } finally {
    await server.close()
  }
}

export function describeOgcBench(f: OgcFigures, label: string): string[] {
  const r = (x: Ratio) =>
    `${x.median.toFixed(2)} (${x.min.toFixed(2)}–${x.max.toFixed(2)} over ${ROUNDS} rounds; ${x.httpMs.toFixed(0)} ms ÷ ${x.sqlMs.toFixed(0)} ms)`
  return [
    `OGC API – Features on ${label}, household groups (${f.features.toLocaleString('en')}), API token`,
    `  one items page of ${PAGE} (${(f.pageBytes / 1e6).toFixed(2)} MB) over HTTP ÷ the same statements direct: ${r(f.page)}`,
    `  walking all through next links (${f.walkPages} pages) ÷ one statement selecting all: ${r(f.walk)}`,
  ]
}
