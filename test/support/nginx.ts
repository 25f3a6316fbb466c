/**
 * Runs Debian's nginx with the product's own configuration (deploy/nginx/gridscope.conf) in a
 * temporary prefix, for tests: the upstream lines name the test's API processes, it listens on a
 * free loopback port, and its cache, temporary files, pid and logs stay in the prefix. Works as
 * root (its workers then run as nobody, so the prefix is opened to them) and as any other user.
 * Its access log says, per request, which API process answered and what the cache did.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const NGINX = '/usr/sbin/nginx'
export const hasNginx = existsSync(NGINX)
const SITE = new URL('../../deploy/nginx/gridscope.conf', import.meta.url).pathname

export interface RunningNginx {
  url: string
  /** Every request so far: its URI, the API process that answered (`-` for none) and the cache's answer (`-` when not cached). */
  accessLog(): Promise<{ uri: string; upstream: string; cache: string }[]>
  stop(): Promise<void>
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

/** Starts nginx in front of `upstreams` (http://127.0.0.1:port each); resolves once it answers. */
export async function startNginx(upstreams: string[]): Promise<RunningNginx> {
  const prefix = await mkdtemp(join(tmpdir(), 'gridscope-nginx-'))
  for (const dir of ['cache', 'tmp']) await mkdir(join(prefix, dir))
  // The workers of a root master run as nobody: they write the cache and temporary files.
  await Promise.all([chmod(prefix, 0o755), chmod(join(prefix, 'cache'), 0o777), chmod(join(prefix, 'tmp'), 0o777)])
  const port = await freePort()
  const servers = upstreams.map((u) => `    server ${new URL(u).host} max_fails=1 fail_timeout=5s;`).join('\n')
  const site = (await readFile(SITE, 'utf8'))
    .replace(/(upstream gridscope_api \{\n)(\s*server [^\n]+\n)+/, `$1${servers}\n`)
    .replace('listen 80;', `listen 127.0.0.1:${port};`)
    .replace('/var/cache/nginx/gridscope', join(prefix, 'cache'))
  if (!site.includes(`127.0.0.1:${port}`) || !site.includes(servers)) throw new Error('deploy/nginx/gridscope.conf no longer has the lines the test replaces')
  await writeFile(join(prefix, 'site.conf'), site)
  const tmp = (name: string) => join(prefix, 'tmp', name)
  await writeFile(
    join(prefix, 'nginx.conf'),
    `worker_processes 1;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'error.log')} warn;
events { worker_connections 512; }
http {
  log_format upstreams '$request_uri|$upstream_addr|$upstream_cache_status';
  access_log ${join(prefix, 'access.log')} upstreams;
  client_body_temp_path ${tmp('body')};
  proxy_temp_path ${tmp('proxy')};
  fastcgi_temp_path ${tmp('fastcgi')};
  uwsgi_temp_path ${tmp('uwsgi')};
  scgi_temp_path ${tmp('scgi')};
  include ${join(prefix, 'site.conf')};
}
`,
  )
  const child: ChildProcess = spawn(NGINX, ['-p', `${prefix}/`, '-c', join(prefix, 'nginx.conf'), '-e', join(prefix, 'error.log'), '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (chunk) => (stderr += chunk))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 15_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx did not start: ${stderr}`)
    const ok = await fetch(`${url}/api/meta`).then(
      (r) => r.ok,
      () => false,
    )
    if (ok) break
    if (Date.now() > deadline) throw new Error(`nginx did not answer: ${stderr}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return {
    url,
    async accessLog() {
      const text = await readFile(join(prefix, 'access.log'), 'utf8').catch(() => '')
      return text
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [uri = '', upstream = '-', cache = '-'] = line.split('|')
          return { uri, upstream, cache: cache || '-' }
        })
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM') // fast: open live streams do not hold it
        await exited
      }
      await rm(prefix, { recursive: true, force: true })
    },
  }
}
