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

export async function measureThroughput(baseUrl: string, paths: string[], seconds = 4, cookie = ''): Promise<number> {
  if (LOAD_TOOL === 'autocannon') {
    const result = await autocannon({
      url: baseUrl,
      connections: 16,
      duration: seconds,
      workers: 1,
      headers: { 'accept-encoding': 'gzip', cookie },
      requests: paths.map((path) => ({ path })),
    })
    return result.requests.average
  }
  // A Lua script that cycles through the paths, asking for gzip as browsers do.
  const dir = await mkdtemp(join(tmpdir(), 'gridscope-wrk-'))
  const script = join(dir, 'paths.lua')
  await writeFile(
    script,
    `
local paths = { ${paths.map((p) => JSON.stringify(p)).join(', ')} }
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i], { ["Accept-Encoding"] = "gzip", ["Cookie"] = ${JSON.stringify(cookie)} })
end
`,
  )
  const { stdout } = await promisify(execFile)(WRK, ['-t2', '-c16', `-d${seconds}s`, '-s', script, baseUrl])
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]
  if (!rps) throw new Error(`wrk printed no rate:\n${stdout}`)
  return Number(rps)
}

/**
 * Sustained rate of POSTs of JSON bodies made by `bodyLua` (a Lua expression over the request
 * counter `n`), each with a unique Idempotency-Key, for `seconds`, with wrk. Returns 2xx/s.
 */
export async function measurePostRate(url: string, bodyLua: string, keyPrefix: string, seconds = 5, connections = 16, cookie = ''): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'gridscope-wrk-'))
  const script = join(dir, 'post.lua')
  await writeFile(
    script,
    `
local n = 0
local thread_id = 0
setup = function(thread) thread:set("tid", thread_id); thread_id = thread_id + 1 end
request = function()
  n = n + 1
  local key = "${keyPrefix}-" .. tid .. "-" .. n
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json", ["Idempotency-Key"] = key, ["Cookie"] = ${JSON.stringify(cookie)} }, ${bodyLua})
end
local non2xx = 0
response = function(status) if status ~= 201 then non2xx = non2xx + 1 end end
`,
  )
  const { stdout } = await promisify(execFile)(WRK, ['-t2', `-c${connections}`, `-d${seconds}s`, '-s', script, url])
  const requests = Number(/(\d+) requests in/.exec(stdout)?.[1])
  const errors = Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0)
  const duration = Number(/requests in ([\d.]+)s/.exec(stdout)?.[1])
  if (!requests || !duration) throw new Error(`wrk printed no rate:\n${stdout}`)
  return (requests - errors) / duration
}
