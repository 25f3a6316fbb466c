/**
 * `npm run user`: adds a user whose password (from stdin) signs in, lists and disables users,
 * issues a wall token (printed once) that opens a wall session, and revokes it. Run as a separate
 * process against the shared database; only on an external PostgreSQL, as the embedded one is
 * served to one process.
 */
import { afterAll, describe, expect, inject, it } from 'vitest'
import { createApp } from '../../server/app.ts'
import { connectTestDatabase } from '../support/database.ts'
import { runUserCli } from '../support/run-command.ts'
import { json } from '../support/access-fixture.ts'

const db = connectTestDatabase()
afterAll(() => db.close())
const app = createApp(db)

describe.skipIf(inject('databaseMode') !== 'external')('npm run user', () => {
  const name = `cli-${Date.now() % 1e8}`

  it('adds a user with a password from stdin, lists and disables them', { timeout: 60_000 }, async () => {
    const added = await runUserCli(['add', name, '--role', 'village_leader', '--scope', '440904004001', '--password-stdin'], 'a long enough password\n')
    expect(added, added.err).toMatchObject({ code: 0 })
    expect(added.out).toContain(`added ${name} (village_leader, scope 440904004001)`)
    expect((await app.request('/api/auth/login', json({ username: name, password: 'a long enough password' }))).status).toBe(200)
    expect((await runUserCli(['list'])).out).toMatch(new RegExp(`${name}\\tvillage_leader\\t440904004001\\tactive`))
    expect((await runUserCli(['disable', name])).code).toBe(0)
    expect((await app.request('/api/auth/login', json({ username: name, password: 'a long enough password' }))).status).toBe(401)
  })

  it('refuses a scope at the wrong level for the role, and unknown commands, with a sentence', { timeout: 60_000 }, async () => {
    const wrong = await runUserCli(['add', `${name}-x`, '--role', 'town_leader', '--scope', '440904004001'])
    expect(wrong.code).toBe(1)
    expect(wrong.err).toContain('must be a level-2 cell')
    const unknown = await runUserCli(['frobnicate'])
    expect(unknown.code).toBe(1)
    expect(unknown.err).toContain('Usage: npm run user')
  })

  it('issues a wall token once and revokes it', { timeout: 60_000 }, async () => {
    const added = await runUserCli(['wall-token', 'add', `大屏 ${name}`, '--scope', '440904004'])
    expect(added.code, added.err).toBe(0)
    const token = /^(gsw_\S+)$/m.exec(added.out)![1]!
    const id = /wall token (\d+)/.exec(added.out)![1]!
    expect((await app.request('/api/auth/wall', json({ token }))).status).toBe(200)
    expect((await runUserCli(['wall-token', 'revoke', id])).code).toBe(0)
    expect((await app.request('/api/auth/wall', json({ token }))).status).toBe(401)
  })
})
