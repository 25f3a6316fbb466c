/**
 * Builds the web client with Vite when web/dist is missing or older than any source file, so
 * `npm start` on a fresh clone needs no separate build step.
 */
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { log } from './log.ts'

const ROOT = new URL('../', import.meta.url).pathname
// The build step itself counts: a change to how the client is built rebuilds it.
const SOURCES = ['web', 'vite.config.ts', 'package-lock.json', 'server/web-build.ts']

export async function ensureWebBuilt(): Promise<void> {
  const built = await mtime(join(ROOT, 'web/dist/index.html'))
  const newest = Math.max(...(await Promise.all(SOURCES.map((s) => newestMtime(join(ROOT, s))))))
  if (built !== null && built >= newest) return
  log.info('building the web client (vite build)')
  const started = Date.now()
  const { build } = await import('vite')
  // Always a production bundle. Vite takes NODE_ENV from the process, and the test runner sets it
  // to 'test': the bundle then held React's development build, which `npm start` would go on
  // serving from the same web/dist.
  const nodeEnv = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  try {
    await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn', mode: 'production' })
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV
    else process.env.NODE_ENV = nodeEnv
  }
  log.info({ ms: Date.now() - started }, 'web client built')
}

async function mtime(path: string): Promise<number | null> {
  try {
    return (await stat(path)).mtimeMs
  } catch {
    return null
  }
}

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path).catch(() => null)
  if (!info) return 0
  if (!info.isDirectory()) return info.mtimeMs
  let newest = 0
  for (const entry of await readdir(path, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue
    newest = Math.max(newest, await newestMtime(join(path, entry.name)))
  }
  return newest
}
