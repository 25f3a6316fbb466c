/**
 * Runs `npm start`'s entry point as a separate API process on the shared test database, for
 * tests that need more than one process or must kill one.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { inject } from 'vitest'

export function startApiProcess(env: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: new URL('../../', import.meta.url).pathname,
      // Tests drive many writes through one session: the per-session write limit is raised.
      env: {
        ...process.env,
        DATABASE_URL: inject('databaseUrl'),
        PORT: '0',
        LOG_LEVEL: 'warn',
        SIMULATOR: 'off',
        WRITE_RATE_LIMIT_PER_MINUTE: '100000',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout!.on('data', (chunk) => {
      out += chunk
      const url = /open (http:\/\/\S+?)\/?\s/.exec(out)?.[1]
      if (url) resolve({ url, child })
    })
    child.on('exit', (code, signal) => reject(new Error(`API process exited (${code ?? signal})`)))
  })
}
