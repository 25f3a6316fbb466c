/**
 * Requests per second against a loopback server. wrk (Debian package `wrk`, written in C) is
 * used where installed: autocannon parses responses in JavaScript and on two cores became the
 * bottleneck for bodies of tens of kilobytes, so it under-reported large tiles. autocannon is
 * the fallback, and the output says which one measured.
 */
import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import autocannon from 'autocannon'

const WRK = '/usr/bin/wrk'
export const LOAD_TOOL = existsSync(WRK) ? 'wrk' : 'autocannon'

export async function measureThroughput(baseUrl: string, paths: string[], seconds = 4): Promise<number> {
  if (LOAD_TOOL === 'autocannon') {
    const result = await autocannon({
      url: baseUrl, connections: 16, duration: seconds, workers: 1,
      headers: { 'accept-encoding': 'gzip' }, requests: paths.map((path) => ({ path })),
    })
    return result.requests.average
  }
  // A Lua script that cycles through the paths, asking for gzip as browsers do.
  const dir = await mkdtemp(join(tmpdir(), 'gridscope-wrk-'))
  const script = join(dir, 'paths.lua')
  await writeFile(script, `
local paths = { ${paths.map((p) => JSON.stringify(p)).join(', ')} }
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], { ["Accept-Encoding"] = "gzip" })
end
`)
  const { stdout } = await promisify(execFile)(WRK, ['-t2', '-c16', `-d${seconds}s`, '-s', script, baseUrl])
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]
  if (!rps) throw new Error(`wrk printed no rate:\n${stdout}`)
  return Number(rps)
}
