/**
 * `npm run user -- …`: manage users and wall display tokens in the configured database
 * (DATABASE_URL, or the embedded one in DATA_DIR — stop `npm start` first, as the embedded
 * database takes one process at a time).
 *
 *   add <username> --role <role> [--scope <code>] [--name <display name>] [--password-stdin]
 *   list
 *   disable <username>
 *   wall-token add <label> [--scope <code>]      prints the token once
 *   wall-token list
 *   wall-token revoke <id>
 *   api-token add <name> --role <role> [--scope <code>] [--expires YYYY-MM-DD]   prints the token once, last line
 *   api-token list
 *   api-token revoke <id>
 *
 * Without --password-stdin a random password is generated and printed once.
 */
import { randomBytes } from 'node:crypto'
import { parseArgs } from 'node:util'
import { readConfig, StartupError } from '../config.ts'
import { openDatabase } from '../db/connect.ts'
import { migrate } from '../db/migrate.ts'
import { log } from '../log.ts'
import { AccountError, addUser, addWallToken, disableUser, listUsers, listWallTokens, revokeWallToken } from './accounts.ts'
import { USER_ROLES, type UserRole } from './roles.ts'
import { addApiToken, listApiTokens, revokeApiToken } from './api-tokens.ts'

const USAGE = `Usage: npm run user -- <command>
  add <username> --role <${USER_ROLES.join('|')}> [--scope <grid code>] [--name <display name>] [--password-stdin]
  list
  disable <username>
  wall-token add <label> [--scope <grid code>]
  wall-token list
  wall-token revoke <id>
  api-token add <name> --role <role> [--scope <grid code>] [--expires YYYY-MM-DD]
  api-token list
  api-token revoke <id>`

async function readStdin(): Promise<string> {
  let text = ''
  for await (const chunk of process.stdin) text += chunk
  return text.replace(/\r?\n$/, '')
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      role: { type: 'string' },
      scope: { type: 'string' },
      name: { type: 'string' },
      expires: { type: 'string' },
      'password-stdin': { type: 'boolean' },
    },
  })
  const [command, ...rest] = positionals
  if (!command) throw new AccountError(USAGE)
  log.level = 'warn'
  const db = await openDatabase({ ...readConfig(), LOG_LEVEL: 'warn' })
  const out = (line: string) => process.stdout.write(line + '\n')
  try {
    await migrate(db.sql)
    if (command === 'add' && rest[0]) {
      if (!values.role) throw new AccountError(`--role is required: one of ${USER_ROLES.join(', ')}.`)
      const password = values['password-stdin'] ? await readStdin() : randomBytes(12).toString('base64url')
      const user = await addUser(db.sql, { username: rest[0], role: values.role as UserRole, scope: values.scope, password, displayName: values.name })
      out(`added ${user.username} (${user.role}, scope ${user.scope})`)
      if (!values['password-stdin']) out(`password (shown once): ${password}`)
    } else if (command === 'list') {
      for (const u of await listUsers(db.sql)) out(`${u.username}\t${u.role}\t${u.scope}\t${u.disabledAt ? 'disabled' : 'active'}\t${u.displayName}`)
    } else if (command === 'disable' && rest[0]) {
      await disableUser(db.sql, rest[0])
      out(`disabled ${rest[0]}; their sessions have ended`)
    } else if (command === 'wall-token' && rest[0] === 'add' && rest[1]) {
      const { token, row } = await addWallToken(db.sql, { label: rest[1], scope: values.scope })
      out(`wall token ${row.id} (${row.label}, scope ${row.scope}); the token is shown once:`)
      out(token)
      out(`open the wall display at <server>/wall?token=${token}`)
    } else if (command === 'wall-token' && rest[0] === 'list') {
      for (const w of await listWallTokens(db.sql)) out(`${w.id}\t${w.label}\t${w.scope}\t${w.revokedAt ? 'revoked' : 'active'}`)
    } else if (command === 'wall-token' && rest[0] === 'revoke' && /^\d+$/.test(rest[1] ?? '')) {
      await revokeWallToken(db.sql, Number(rest[1]))
      out(`revoked wall token ${rest[1]}; its displays are signed out`)
    } else if (command === 'api-token' && rest[0] === 'add' && rest[1]) {
      if (!values.role) throw new AccountError(`--role is required: one of ${USER_ROLES.join(', ')}.`)
      const { token, row } = await addApiToken(db.sql, { name: rest[1], role: values.role, scope: values.scope, expires: values.expires })
      const until = row.expiresAt ? `, until ${row.expiresAt.toISOString().slice(0, 10)}` : ''
      out(`API token ${row.id} (${row.name}, ${row.role}, scope ${row.scope}${until}); send it as "Authorization: Bearer <token>". The token is shown once:`)
      out(token)
    } else if (command === 'api-token' && rest[0] === 'list') {
      for (const t of await listApiTokens(db.sql)) {
        const state = t.revokedAt ? 'revoked' : t.expiresAt && t.expiresAt <= new Date() ? 'expired' : 'active'
        out(`${t.id}\t${t.name}\t${t.role}\t${t.scope}\t${state}\t${t.expiresAt?.toISOString() ?? '-'}\t${t.lastUsedAt?.toISOString() ?? 'never used'}`)
      }
    } else if (command === 'api-token' && rest[0] === 'revoke' && /^\d+$/.test(rest[1] ?? '')) {
      await revokeApiToken(db.sql, Number(rest[1]))
      out(`revoked API token ${rest[1]}; it is refused from its next request`)
    } else {
      throw new AccountError(USAGE)
    }
  } finally {
    await db.close()
  }
}

main().catch((error) => {
  if (error instanceof AccountError || error instanceof StartupError) process.stderr.write(`${error.message}\n`)
  else process.stderr.write(`npm run user failed: ${(error as Error).message}\n`)
  process.exit(1)
})
