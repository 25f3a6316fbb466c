/**
 * Demo users for the embedded demo (or DEMO_USERS=on): one per role, with the passwords listed in
 * the README, and a fresh wall display token on every start (the old demo token is revoked; the
 * new link is printed, as the token is never stored). Never seeded on a real deployment by default.
 */
import type { Sql } from '../db/connect.ts'
import { log } from '../log.ts'
import { addUser, addWallToken, revokeWallToken } from '../access/accounts.ts'
import type { UserRole } from '../access/roles.ts'

export const DEMO_PASSWORD = 'gridscope-demo'
export const DEMO_WALL_LABEL = 'demo wall (start-up)'

/** 电海街道, its 电海社区, and that community's first household group. */
const DIANHAI = '440904004'
const DIANHAI_COMMUNITY = '440904004001'

export const DEMO_USERS: { username: string; role: UserRole; displayName: string; scope: (sql: Sql) => Promise<string | undefined> }[] = [
  { username: 'commander', role: 'commander', displayName: '区指挥中心', scope: async () => undefined },
  { username: 'dianhai', role: 'town_leader', displayName: '电海街道', scope: async () => DIANHAI },
  { username: 'dianhai-community', role: 'village_leader', displayName: '电海社区', scope: async () => DIANHAI_COMMUNITY },
  {
    username: 'gridworker',
    role: 'grid_worker',
    displayName: '网格员',
    scope: async (sql) =>
      (await sql<{ code: string | null }[]>`select min(code) as code from grid_cell where level = 5 and code like ${DIANHAI_COMMUNITY + '%'}`)[0]?.code ??
      undefined,
  },
  { username: 'analyst', role: 'analyst', displayName: '分析员', scope: async () => undefined },
  // Grid workers in household groups of three different villages of 电海街道: an area notice can
  // be tried end to end with a phone each.
  ...[1, 2, 3].map((n) => ({
    username: `dianhai-worker${n}`,
    role: 'grid_worker' as const,
    displayName: `电海网格员${n}`,
    scope: async (sql: Sql) =>
      (
        await sql<{ code: string }[]>`
      select min(code) as code from grid_cell where level = 5 and code like ${DIANHAI + '%'}
      group by left(code, 12) order by left(code, 12) offset ${n} limit 1`
      )[0]?.code ?? undefined,
  })),
]

export async function seedDemoUsers(sql: Sql): Promise<number> {
  const existing = new Set((await sql<{ username: string }[]>`select username from app_user`).map((r) => r.username))
  let added = 0
  for (const user of DEMO_USERS) {
    if (existing.has(user.username)) continue
    await addUser(sql, { username: user.username, role: user.role, displayName: user.displayName, password: DEMO_PASSWORD, scope: await user.scope(sql) })
    added++
  }
  if (added) log.info({ users: added }, 'demo users added')
  return added
}

/** Revokes the previous start's demo wall token and issues a new one. */
export async function issueDemoWallToken(sql: Sql): Promise<string> {
  const old = await sql<{ id: number }[]>`select id from wall_token where label = ${DEMO_WALL_LABEL} and revoked_at is null`
  for (const { id } of old) await revokeWallToken(sql, id)
  return (await addWallToken(sql, { label: DEMO_WALL_LABEL })).token
}

/** The wall display's sign-in link for a server at `baseUrl` (ending in /). */
export function demoWallUrl(baseUrl: string, token: string): string {
  return `${baseUrl}wall?token=${token}`
}
