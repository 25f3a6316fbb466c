/**
 * Start-up failures an operator can fix end `npm start` with one plain sentence on stderr and a
 * non-zero exit code, before anything is served. Each case runs the real entry point.
 */
import { spawn } from 'node:child_process'
import { createServer, type Server } from 'node:net'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { afterAll, describe, expect, it } from 'vitest'
import { inject } from 'vitest'

const ROOT = new URL('../../', import.meta.url).pathname

function runMain(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH!, HOME: process.env.HOME!, LOG_LEVEL: 'error', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stderr })
    })
  })
}

function expectOneSentence(stderr: string, pattern: RegExp) {
  const lines = stderr.trim().split('\n')
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(/^Gridscope cannot start: /)
  expect(lines[0]).toMatch(pattern)
  expect(lines[0]).not.toMatch(/\bat .*\.ts:\d+/) // no stack trace
}

describe('start-up failures', () => {
  it('names an unreachable DATABASE_URL', async () => {
    const { code, stderr } = await runMain({ DATABASE_URL: 'postgres://gridscope@127.0.0.1:1/gridscope', PORT: '0' })
    expect(code).toBe(1)
    expectOneSentence(stderr, /Cannot connect to the PostgreSQL server in DATABASE_URL .*ECONNREFUSED.*check DATABASE_URL/)
  })

  it('names a port already in use', async () => {
    const blocker: Server = createServer()
    const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)))
    try {
      const { code, stderr } = await runMain({ PORT: String(port) })
      expect(code).toBe(1)
      expectOneSentence(stderr, new RegExp(`Port ${port} is already in use.*PORT`))
    } finally {
      blocker.close()
    }
  })

  it('names a data folder that cannot be used', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gridscope-'))
    const notAFolder = join(dir, 'file')
    await writeFile(notAFolder, 'not a folder')
    const { code, stderr } = await runMain({ DATA_DIR: join(notAFolder, 'pglite'), PORT: '0' })
    expect(code).toBe(1)
    expectOneSentence(stderr, /data folder .* cannot be read or written .*DATA_DIR/)
  })

  it('names an invalid setting', async () => {
    const { code, stderr } = await runMain({ PORT: 'eighty' })
    expect(code).toBe(1)
    expectOneSentence(stderr, /Setting PORT is invalid/)
  })

  // Needs a real PostgreSQL to create a database where PostGIS cannot be enabled; the embedded
  // database always has PostGIS, so this case runs only when DATABASE_URL is set (as in CI).
  describe.skipIf(inject('databaseMode') !== 'external')('on an external PostgreSQL', () => {
    const admin = postgres(inject('databaseUrl'), { max: 1, onnotice: () => {} })
    afterAll(() => admin.end())

    it('names the missing PostGIS and the Debian package to install', async () => {
      // A role that may not create extensions stands in for a server without PostGIS installed:
      // both make CREATE EXTENSION postgis fail, which is what start-up reports.
      await admin.unsafe('drop database if exists gridscope_no_postgis')
      await admin.unsafe('drop role if exists gridscope_no_postgis')
      await admin.unsafe("create role gridscope_no_postgis login password 'test-only'")
      await admin.unsafe('create database gridscope_no_postgis owner gridscope_no_postgis')
      const url = new URL(inject('databaseUrl'))
      url.username = 'gridscope_no_postgis'
      url.password = 'test-only'
      url.pathname = '/gridscope_no_postgis'
      const { code, stderr } = await runMain({ DATABASE_URL: url.toString(), PORT: '0' })
      expect(code).toBe(1)
      expectOneSentence(stderr, /no PostGIS extension.*apt-get install postgresql-15-postgis-3/)
    })
  })
})
