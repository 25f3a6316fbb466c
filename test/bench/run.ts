/**
 * `npm run bench`: Gridscope's benchmarks. Machines here are noisy, so every figure comes with a
 * ratio against a baseline measured in the same run; the absolute times are for orientation.
 */
import { describeMachine } from './support/machine.ts'
import { benchStartup } from './startup.ts'
import { openBenchDatabases } from './support/bench-server.ts'
import { benchTiles } from './tiles.ts'
import { benchIngest, benchLive } from './incidents.ts'
import { benchDrilldown } from './drilldown.ts'
import { benchPoints } from './points.ts'
import { benchAnalystOn } from './analyst.ts'
import { benchWallHeap } from './wall-heap.ts'
import { benchIdle, describeIdle } from './idle.ts'
import { benchNotices, describeNotices } from './notices.ts'
import { benchCoverage, benchPhotoUpload } from './field-work.ts'
import { serveApp } from './support/bench-server.ts'
import { ensureWebBuilt } from '../../server/web-build.ts'
import { mountWebClient } from '../../server/http/static.ts'
import { HAS_CHROMIUM } from '../support/browser.ts'
import { benchSignInFlood, benchStalledStreams } from './wedge.ts'
import { benchEvaluation, describeEvaluationBench } from './evaluation.ts'
import { benchOgc, describeOgcBench } from './ogc.ts'
import { benchOpen311, describeOpen311 } from './open311.ts'
import { benchImport, describeImport } from './import.ts'
import { benchPeople, describePeople } from './people.ts'
import { benchScale, describeScale } from './scale.ts'

const only = process.argv[2]

console.log(`Gridscope benchmarks on ${describeMachine()}\n`)

if (!only || only === 'startup') {
  console.log('Start-up (to the first healthy /api/health; baseline: a bare process opening the same database)')
  for (const r of await benchStartup()) {
    console.log(
      `  ${r.database.padEnd(22)} cold ${(r.coldMs / 1000).toFixed(1)} s (${(r.coldMs / r.baselineMs).toFixed(1)}× baseline)` +
        `  warm ${(r.warmMs / 1000).toFixed(1)} s (${(r.warmMs / r.baselineMs).toFixed(2)}× baseline)  baseline ${(r.baselineMs / 1000).toFixed(1)} s`,
    )
    if (r.coldWithoutPatrolsMs !== undefined) {
      console.log(
        `  ${''.padEnd(22)} cold without demo patrols ${(r.coldWithoutPatrolsMs / 1000).toFixed(1)} s (with ÷ without ${(r.coldMs / r.coldWithoutPatrolsMs).toFixed(2)})`,
      )
    }
  }
  console.log()
}

if (!only || only === 'import') {
  for (const { db, label, close } of await openBenchDatabases()) {
    if (db.mode === 'embedded') {
      console.log(`Grid import on ${label}: skipped (PGlite cannot take COPY FROM STDIN, the baseline)`)
    } else {
      console.log(`Grid import on ${label}`)
      for (const line of describeImport(await benchImport(db))) console.log(line)
    }
    await close()
  }
  console.log()
}

if (!only || only === 'people') {
  for (const { db, label, close } of await openBenchDatabases()) {
    console.log(`Base-data import (people) on ${label}`)
    for (const line of describePeople(await benchPeople(db))) console.log(line)
    await close()
  }
  console.log()
}

if (!only || only === 'notices') {
  for (const { db, label, close } of await openBenchDatabases()) {
    console.log(`Area notices on ${label}`)
    for (const line of describeNotices(await benchNotices(db))) console.log(line)
    await close()
  }
}

if (!only || only === 'tiles') {
  for (const { db, label, close } of await openBenchDatabases()) {
    const t = await benchTiles(db)
    console.log(`Grid tiles on ${label} (${t.builtBy}), ${t.tiles} tiles z8–z16`)
    console.log(
      `  uncached HTTP ÷ direct SQL: median ${t.medianRatio.toFixed(2)} (${t.httpMedianMs.toFixed(1)} ms ÷ ${t.sqlMedianMs.toFixed(1)} ms), p99 ${t.p99Ratio.toFixed(2)}`,
    )
    console.log(
      `  cached tile throughput ÷ JSON route: ${t.throughputRatio.toFixed(2)} (${t.cachedTileRps.toFixed(0)} ÷ ${t.jsonRps.toFixed(0)} req/s, ${t.loadTool}, whole set gzipped)`,
    )
    console.log(`  largest tile: ${t.largestTileBytes} bytes (${t.largestTile})`)
    await close()
  }
}

if (!only || only === 'drilldown') {
  if (!HAS_CHROMIUM) {
    console.log('Drill-down in Chromium skipped: install Debian chromium (apt-get install -y chromium fonts-noto-cjk)')
  } else {
    await ensureWebBuilt()
    const { db, close } = (await openBenchDatabases({ embeddedOnly: true }))[0]!
    const server = await serveApp(db, { extend: (app) => mountWebClient(app) })
    const d = await benchDrilldown(server.url, server.cookie)
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
    console.log(`Drill-down in headless Chromium (SwiftShader), ${d.towns.length} towns, embedded PGlite`)
    console.log(
      `  click town → villages drawn: median ${med(d.clickToChildrenMs).toFixed(0)} ms; ÷ same view by URL (no pointer): ${d.medianRatio.toFixed(2)}; ÷ the API requests alone: ${d.fetchRatio.toFixed(1)}`,
    )
    console.log(`  click → camera settled: median ${med(d.clickToSettledMs).toFixed(0)} ms`)
    await server.close()
    await close()
  }
  console.log()
}

if (!only || only === 'open311') {
  for (const { db, label, close } of await openBenchDatabases()) {
    console.log(`Open311 GeoReport v2 on ${label}`)
    for (const line of describeOpen311(await benchOpen311(db))) console.log(line)
    await close()
  }
  console.log()
}

if (!only || only === 'incidents') {
  for (const { db, label, close } of await openBenchDatabases()) {
    const ingest = await benchIngest(db)
    console.log(`Incidents on ${label}`)
    console.log(
      `  ingest: POST /api/incidents ÷ direct INSERTs of the same rows: ${ingest.ratio.toFixed(2)} (${ingest.postsPerSecond.toFixed(0)} ÷ ${ingest.insertsPerSecond.toFixed(0)} per s, 16 concurrent)`,
    )
    const live = await benchLive(db)
    console.log(
      `  POST → SSE with ${live.clients} clients at ${live.rate}/s: p50 ${live.p50Ms.toFixed(1)} ms, p99 ${live.p99Ms.toFixed(1)} ms; ÷ POST round trip: p50 ${live.p50Ratio.toFixed(2)}, p99 ${live.p99Ratio.toFixed(2)} (${live.deliveries} deliveries)`,
    )
    await close()
  }
}

if (!only || only === 'scale') {
  const countyUrl = process.env.BENCH_DATABASE_URL
  const provinceUrl = process.env.BENCH_PROVINCE_URL
  if (!countyUrl || !provinceUrl) {
    console.log(
      'Province ÷ county scale skipped: set BENCH_DATABASE_URL (the demo seed on PostgreSQL) and BENCH_PROVINCE_URL (a database built by npm run generate -- province)',
    )
  } else {
    console.log('Province scale ÷ county scale, same requests through the same API code, PostgreSQL + PostGIS, alternating rounds')
    for (const line of describeScale(await benchScale(countyUrl, provinceUrl, (m) => console.log(`  (${m})`)))) console.log(line)
  }
  console.log()
}

if (!only || only === 'points') {
  const url = process.env.BENCH_DATABASE_URL
  if (!url) {
    console.log(
      'Binary points for 1,000,000 incidents skipped: set BENCH_DATABASE_URL to a PostGIS database of its own (it receives a million synthetic incidents)',
    )
  } else {
    const p = await benchPoints(url)
    const n = p.count.toLocaleString('en')
    console.log(`Binary points on PostgreSQL + PostGIS, ${n} filtered incidents (synthetic history ready in ${(p.loadMs / 1000).toFixed(1)} s)`)
    console.log(
      `  bytes per point: ${p.rawBytesPerPoint.toFixed(2)} raw, ${p.gzipBytesPerPoint.toFixed(2)} gzip; GeoJSON export ${p.geojsonBytesPerPoint.toFixed(0)} (${(p.geojsonBytesPerPoint / p.rawBytesPerPoint).toFixed(0)}× raw points), CSV export ${p.csvBytesPerPoint.toFixed(0)}`,
    )
    console.log(
      `  GET /api/incidents/points ÷ COPY (same query) TO STDOUT binary: ${p.ratio.toFixed(2)} (${p.serverMs.toFixed(0)} ms ÷ ${p.copyMs.toFixed(0)} ms, COPY ${p.copyBytesPerPoint.toFixed(0)} bytes per row); with gzip ${p.gzipServerMs.toFixed(0)} ms`,
    )
    console.log(`  GeoJSON export of the same set streamed in ${(p.geojsonMs / 1000).toFixed(1)} s`)
  }
}

if (!only || only === 'analyst') {
  const url = process.env.BENCH_DATABASE_URL
  if (!HAS_CHROMIUM || !url) {
    console.log(
      'Analyst view in Chromium skipped: needs Debian chromium and BENCH_DATABASE_URL (a PostGIS database of its own; it receives a million synthetic incidents)',
    )
  } else {
    const { loadMs, selections, gpuFilter, gpuTimeFilter } = await benchAnalystOn(url)
    console.log(`Analyst view in headless Chromium (SwiftShader), PostgreSQL + PostGIS (synthetic history ready in ${(loadMs / 1000).toFixed(1)} s)`)
    const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
    for (const s of selections) {
      console.log(
        `  filter change → heatmap redrawn, ${s.points.toLocaleString('en')} points (${(s.bytes / s.points).toFixed(1)} bytes each): median ${med(s.redrawMs).toFixed(0)} ms` +
          ` ÷ fetching the same points in the page ${med(s.fetchMs).toFixed(0)} ms = ${s.ratio.toFixed(2)}`,
      )
    }
    const spread = (xs: number[], digits: number) => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`
    for (const [what, g] of [
      ['category/status/severity', gpuFilter],
      ['time window', gpuTimeFilter],
    ] as const) {
      console.log(
        `  ${what} change within the held points → heatmap redrawn, ${g.points.toLocaleString('en')} points: median ${med(g.changeMs).toFixed(0)} ms` +
          ` ÷ one frame drawn without a change ${med(g.frameMs).toFixed(0)} ms = ${med(g.ratios).toFixed(2)}` +
          ` (${spread(g.ratios, 2)} over ${g.ratios.length} alternating runs; ${g.pointsRequests} points requests)`,
      )
      console.log(`    per run, change / frame ms: ${g.changeMs.map((ms, i) => `${ms.toFixed(0)}/${g.frameMs[i]!.toFixed(0)}`).join(', ')}`)
    }
  }
}

if (!only || only === 'ogc') {
  for (const { db, label, close } of await openBenchDatabases()) {
    for (const line of describeOgcBench(await benchOgc(db), label)) console.log(line)
    await close()
  }
  console.log()
}

if (!only || only === 'evaluation') {
  for (const { db, label, close } of await openBenchDatabases()) {
    console.log(describeEvaluationBench(await benchEvaluation(db), label))
    await close()
  }
  console.log()
}

if (!only || only === 'wedge') {
  const range = (xs: number[], digits: number) => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`
  for (const { db, label, close } of await openBenchDatabases()) {
    const s = await benchStalledStreams(db)
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
    console.log(`Misbehaving clients on ${label}`)
    console.log(
      `  list p95 with 10 stalled export readers + 30 replays from Last-Event-ID 0 ÷ with none: median ${median(s.ratios).toFixed(2)} (${range(s.ratios, 2)} over ${s.ratios.length} rounds; ${median(s.loadedP95Ms).toFixed(0)} ms ÷ ${median(s.quietP95Ms).toFixed(0)} ms)`,
    )
    const f = await benchSignInFlood(db)
    console.log(
      `  genuine sign-ins/s during a 600-username flood from one address ÷ without: ${f.ratio.toFixed(2)} (${f.floodPerSecond.toFixed(1)} ÷ ${f.quietPerSecond.toFixed(1)}/s; flood ${f.floodRequests} requests, ${f.floodLimited} answered 429)`,
    )
    await close()
  }
}

if (!only || only === 'wall-heap') {
  if (!HAS_CHROMIUM) {
    console.log('Wall display heap in Chromium skipped: install Debian chromium (apt-get install -y chromium fonts-noto-cjk)')
  } else {
    await ensureWebBuilt()
    const { db, close } = (await openBenchDatabases({ embeddedOnly: true }))[0]!
    const server = await serveApp(db, { extend: (app) => mountWebClient(app) })
    console.log('Wall display in headless Chromium, simulator reporting every 250 ms, embedded PGlite (about 3 minutes)')
    const w = await benchWallHeap(db, server.url)
    console.log(
      `  JS heap after GC, end ÷ start: ${w.ratio.toFixed(3)} (${(w.startBytes / 1e6).toFixed(1)} MB → ${(w.endBytes / 1e6).toFixed(1)} MB over ${w.events} live events; the wall aims at ≤ 1.2)` +
        `; holding ${w.livePoints} live points, ${w.tickerRows} ticker rows`,
    )
    await server.close()
    await close()
  }
  console.log()
}

if (!only || only === 'idle') {
  if (!HAS_CHROMIUM) {
    console.log('Screens left idle in Chromium skipped: install Debian chromium (apt-get install -y chromium fonts-noto-cjk)')
  } else {
    await ensureWebBuilt()
    const { db, close } = (await openBenchDatabases({ embeddedOnly: true }))[0]!
    const server = await serveApp(db, { extend: (app) => mountWebClient(app) })
    console.log('Screens left idle in headless Chromium (SwiftShader), embedded PGlite: CPU of the browser’s processes')
    for (const line of describeIdle(await benchIdle(db, server, (m) => console.log(`  (${m})`)))) console.log(line)
    await server.close()
    await close()
  }
  console.log()
}

if (!only || only === 'field-work') {
  for (const { db, label, close } of await openBenchDatabases()) {
    const u = await benchPhotoUpload(db)
    console.log(`Field work on ${label}`)
    console.log(
      `  photo upload ÷ writing the same bytes to files (fdatasync), ${u.photos} JPEGs of ${(u.meanBytes / 1e6).toFixed(2)} MB, 4 at a time: ${u.ratio.toFixed(2)} (${u.uploadMBps.toFixed(1)} ÷ ${u.diskMBps.toFixed(1)} MB/s; runs ${u.runs.map((r) => (r / 1000).toFixed(2)).join(', ')} s)`,
    )
    if (label.startsWith('PostgreSQL')) {
      const c = await benchCoverage(db, (m) => console.log(`  (${m})`))
      console.log(
        `  coverage of the district, 30 days (${c.positions.toLocaleString('en')} positions), GET /api/coverage ÷ the same statements direct: ${c.ratio.toFixed(2)} (${c.httpMs.toFixed(0)} ms ÷ ${c.sqlMs.toFixed(0)} ms; per-run ratios ${c.spread[0].toFixed(2)}–${c.spread[1].toFixed(2)})`,
      )
    } else {
      console.log('  coverage of the district: measured on PostgreSQL only (30 days of demo patrols are seeded into the bench database first)')
    }
    await close()
  }
}
