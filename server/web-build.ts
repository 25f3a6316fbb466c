/**
 * Builds the web client with Vite when web/dist is missing or older than any source file, so
 * `npm start` on a fresh clone needs no separate build step.
 */
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { log } from './log.ts'

const ROOT = new URL('../', import.meta.url).pathname
const SOURCES = ['web', 'vite.config.ts', 'package-lock.json']

export async function ensureWebBuilt(): Promise<void> {
  const built = await mtime(join(ROOT, 'web/dist/index.html'))
  const newest = Math.max(...(await Promise.all(SOURCES.map((s) => newestMtime(join(ROOT, s))))))
  if (built !== null && built >= newest) return
  log.info('building the web client (vite build)')
  const started = Date.now()
  const { build } = await import('vite')
  await build({ configFile: join(ROOT, 'vite.config.ts'), logLevel: 'warn' })
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
