/**
 * `npm run user -- api-token …`: prints the token alone on its last line (scripts read it), the
 * token reads the API as a bearer, `list` shows it without the secret, `revoke` stops it at once.
 * Only on an external PostgreSQL (the embedded one serves one process).
 */
import { afterAll, describe, expect, inject, it } from 'vitest'
import { createApp } from '../../server/app.ts'
import { connectTestDatabase } from '../support/database.ts'
import { runUserCli } from '../support/run-command.ts'

const db = connectTestDatabase()
afterAll(() => db.close())
const app = createApp(db)

describe.skipIf(inject('databaseMode') !== 'external')('npm run user -- api-token', () => {
  it('adds (token alone on the last line), lists without the secret, revokes at once', { timeout: 90_000 }, async () => {
    const name = `qgis-${Date.now() % 1e8}`
    const added = await runUserCli(['api-token', 'add', name, '--role', 'town_leader', '--scope', '440904004', '--expires', '2999-12-31'])
    expect(added.code, added.err).toBe(0)
    const token = added.out.trimEnd().split('\n').at(-1)!
    expect(token).toMatch(/^gst_[A-Za-z0-9_-]{43}$/)
    const id = /API token (\d+)/.exec(added.out)![1]!
    expect((await app.request('/ogc/collections', { headers: { authorization: `Bearer ${token}` } })).status).not.toBe(401)
    expect((await app.request('/api/incidents', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200)
    const listed = await runUserCli(['api-token', 'list'])
    expect(listed.out).toMatch(new RegExp(`^${id}\\t${name}\\ttown_leader\\t440904004\\tactive\\t2999-12-31`, 'm'))
    expect(listed.out).not.toContain(token)
    expect((await runUserCli(['api-token', 'revoke', id])).code).toBe(0)
    expect((await app.request('/api/incidents', { headers: { authorization: `Bearer ${token}` } })).status).toBe(401)
    const bad = await runUserCli(['api-token', 'add', 'x', '--role', 'mayor'])
    expect(bad.code).toBe(1)
    expect(bad.err).toContain('--role is one of')
  })
})
