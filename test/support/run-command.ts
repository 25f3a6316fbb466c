/**
 * Runs one of the product's commands (a TypeScript entry such as server/access/cli.ts, behind
 * `npm run user`, or server/imports/cli.ts, behind `npm run import`) as its own process against the
 * test database, with `stdin` written to it, and answers its exit code and output. Only meaningful
 * on an external PostgreSQL: the embedded database is served to one process.
 */
import { spawn } from 'node:child_process'
import { inject } from 'vitest'

export function runCommand(script: string, args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: new URL('../../', import.meta.url).pathname,
      env: { ...process.env, DATABASE_URL: inject('databaseUrl'), LOG_LEVEL: 'warn' },
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk) => (out += chunk))
    child.stderr.on('data', (chunk) => (err += chunk))
    child.on('error', reject)
    child.on('exit', (code) => resolve({ code: code ?? 1, out, err }))
    child.stdin.end(stdin)
  })
}

/** `npm run user -- …`. */
export const runUserCli = (args: string[], stdin = '') => runCommand('server/access/cli.ts', args, stdin)
