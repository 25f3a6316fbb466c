/**
 * `npm run generate [county-folder] [output.json]`: generates the demo grid from data/dianbai (or
 * the folder given), writes data/generated/grid.json (gitignored) and prints counts, totals, the
 * sha256 of the canonical JSON and the time taken; progress goes to stderr on one line.
 */
import { createHash } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateGridWithStats, loadSource, serializeGrid } from './index.ts'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const sourceDir = process.argv[2] ?? join(repo, 'data', 'dianbai')
const outFile = process.argv[3] ?? join(repo, 'data', 'generated', 'grid.json')

const started = performance.now()
const source = await loadSource(sourceDir)
const loaded = performance.now()
let lastLine = ''
const { grid, stats } = generateGridWithStats(source, (done, total, stage) => {
  const line = `generating: ${stage} ${done}/${total}`
  if (line !== lastLine && process.stderr.isTTY) process.stderr.write(`\r${line.padEnd(60)}`)
  else if (done === total) process.stderr.write(`${line}\n`)
  lastLine = line
})
const generated = performance.now()
if (process.stderr.isTTY) process.stderr.write('\n')
const text = serializeGrid(grid)
await mkdir(dirname(outFile), { recursive: true })
await writeFile(outFile, text)
const finished = performance.now()

const count = <T>(items: T[], key: (x: T) => string | number) => {
  const out = new Map<string | number, number>()
  for (const x of items) out.set(key(x), (out.get(key(x)) ?? 0) + 1)
  return [...out].map(([k, n]) => `${k}: ${n}`).join(', ')
}
const root = grid.cells.find((c) => c.level === 1)!
console.log(`${root.code} ${root.name} → ${relative(process.cwd(), outFile)} (${(text.length / 1e6).toFixed(1)} MB)`)
console.log(`cells by level    ${count(grid.cells, (c) => c.level)}`)
console.log(`households        ${root.households}   population ${root.population}`)
console.log(`people            ${count(grid.people, (p) => p.role)}`)
console.log(`party orgs        ${count(grid.partyOrgs, (o) => o.kind)}`)
console.log(`context regions   ${grid.context.map((r) => r.name).join(' ')}`)
console.log(`anchors nudged    ${stats.nudgedAnchors.join(' ') || 'none'}; subdivision retries ${stats.retries}`)
console.log(`sha256            ${createHash('sha256').update(text).digest('hex')}`)
console.log(
  `time              load ${(loaded - started).toFixed(0)} ms, generate ${(generated - loaded).toFixed(0)} ms, serialize+write ${(finished - generated).toFixed(0)} ms`,
)
