/**
 * A corpus of hostile values (SQL fragments, LIKE wildcards, huge and non-finite numbers,
 * unicode oddities, very long strings) in every parameter of every route, as a signed-in
 * commander (who passes every permission check, so the values reach the deepest code) and
 * without a session: only 2xx/4xx answers, never a 5xx, never SQL or a stack trace in the body.
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: '${7*7}' is a template-injection probe, literal on purpose.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app.ts'
import { connectTestDatabase } from '../support/database.ts'
import { asViewer, signIn, type RequestTarget } from '../support/auth.ts'

const db = connectTestDatabase()
afterAll(() => db.close())

const HOSTILE = [
  "' OR '1'='1",
  '1; DROP TABLE incident; --',
  '1) UNION SELECT password_hash FROM app_user --',
  '%',
  '_',
  '%25%27',
  '\\',
  '$1',
  '440904%',
  "440904' --",
  '1e309',
  '-1',
  '0',
  '-0',
  '99999999999999999999999999',
  '9007199254740993',
  'NaN',
  'Infinity',
  '-Infinity',
  '0x10',
  '1.5',
  '',
  ' ',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '{"$ne":null}',
  '🙂🙃',
  '電海\u0000街道',
  '\u202egnp.exe',
  '\uFEFF440904',
  'Ａ１２３',
  '../../../../etc/passwd',
  '<script>alert(1)</script>',
  '${7*7}',
  '\r\nSet-Cookie: x=1',
  'a'.repeat(5000),
  '4'.repeat(300),
]

/** Bodies that would mean the internals leaked. */
const LEAK = /\b(select|insert|update|delete)\b.+\b(from|into|set)\b|syntax error|postgres|pglite|\bat [\w.<>]+ \(|node_modules|\.ts:\d+|stack/i

function routes(v: string): { method: string; path: string; body?: string }[] {
  const e = encodeURIComponent(v)
  return [
    { method: 'GET', path: `/api/grids/${e}` },
    { method: 'GET', path: `/api/grids/${e}/geometry?children=${e}` },
    { method: 'GET', path: `/api/grids/search?q=${e}&limit=${e}` },
    { method: 'GET', path: `/api/grids/search?q=${e}` },
    { method: 'GET', path: `/api/grids/at?lon=${e}&lat=${e}` },
    ...['bbox', 'grid', 'category', 'status', 'severity', 'from', 'to', 'overdue', 'limit', 'cursor', 'range', 'escalated', 'q'].map((p) => ({
      method: 'GET',
      path: `/api/incidents?${p}=${e}`,
    })),
    // The analyst's endpoints take the same filter; a day's cases keep the valid values' answers small.
    { method: 'GET', path: `/api/incidents/summary?range=${e}` },
    { method: 'GET', path: `/api/incidents/summary?range=24h&q=${e}&bucket=${e}` },
    { method: 'GET', path: `/api/incidents/by-cell?range=24h&level=${e}&category=${e}` },
    { method: 'GET', path: `/api/incidents/points?range=24h&q=${e}&limit=${e}` },
    { method: 'GET', path: `/api/incidents/export?range=24h&format=${e}&severity=${e}` },
    { method: 'GET', path: `/api/incidents/export?range=24h&format=csv&q=${e}` },
    { method: 'GET', path: `/api/wall/summary?grid=${e}` },
    { method: 'GET', path: `/api/incidents/${e}` },
    { method: 'POST', path: `/api/incidents/${e}/transitions`, body: JSON.stringify({ action: 'register' }) },
    { method: 'POST', path: `/api/incidents/1/transitions`, body: JSON.stringify({ action: v, note: v }) },
    { method: 'POST', path: `/api/incidents/${e}/parties/reveal`, body: JSON.stringify({ reason: 'fuzz reason' }) },
    { method: 'POST', path: `/api/incidents/1/parties/reveal`, body: JSON.stringify({ reason: v }) },
    {
      method: 'POST',
      path: '/api/incidents',
      body: JSON.stringify({ category: v, severity: v, title: v, location: { lon: v, lat: v }, parties: [{ name: v, phone: v, idNumber: v }] }),
    },
    {
      method: 'POST',
      path: '/api/incidents',
      body: JSON.stringify({
        category: 'dispute.neighbour',
        severity: 2,
        title: v,
        description: v,
        reporter: v,
        occurredAt: v,
        location: { lon: 111.0, lat: 21.5 },
      }),
    },
    {
      method: 'POST',
      path: '/api/incidents',
      body: `{"category":"dispute.neighbour","severity":${v || 'NaN'},"title":"t","location":{"lon":${v || 'NaN'},"lat":21}}`,
    },
    { method: 'GET', path: `/api/live?grid=${e}&lastEventId=${e}` },
    { method: 'GET', path: `/tiles/grids/${e}/${e}/${e}.mvt` },
    { method: 'GET', path: `/tiles/grids/8/${e}/113.mvt` },
    { method: 'GET', path: `/api/audit?limit=${e}&before=${e}&incident=${e}` },
    { method: 'POST', path: '/api/auth/login', body: JSON.stringify({ username: v, password: v }) },
    { method: 'POST', path: '/api/auth/wall', body: JSON.stringify({ token: v }) },
    { method: 'GET', path: `/api/categories?x=${e}` },
    // OGC API – Features: every items parameter, ids, CQL2 text in and around literals.
    ...['limit', 'bbox', 'datetime', 'after', 'status', 'town', 'severity', 'filter', 'filter-lang', 'f', 'lang'].map((p) => ({
      method: 'GET',
      path: `/ogc/collections/incidents/items?${p}=${e}`,
    })),
    { method: 'GET', path: `/ogc/collections/household-groups/items?parent_code=${e}&bbox=${e},1,2,3` },
    { method: 'GET', path: `/ogc/collections/incidents/items?filter=${encodeURIComponent(`title = '${v.replaceAll("'", "''")}' OR severity > ${v}`)}` },
    { method: 'GET', path: `/ogc/collections/villages/items?filter=${encodeURIComponent(`S_INTERSECTS(geometry, BBOX(${v},1,2,3)) AND ${v} IS NULL`)}` },
    { method: 'GET', path: `/ogc/collections/${e}/items/${e}` },
    { method: 'GET', path: `/ogc/collections/incidents/items/${e}?f=html` },
    { method: 'GET', path: `/ogc/collections/${e}/queryables?lang=${e}` },
    // Notices: every route, every field (a valid-looking id of 1 reaches the lookups).
    { method: 'GET', path: `/api/notices?status=${e}` },
    { method: 'GET', path: `/api/notices/inbox?x=${e}` },
    { method: 'GET', path: `/api/notices/${e}?level=${e}&geometry=${e}` },
    { method: 'GET', path: `/api/notices/1?level=${e}` },
    {
      method: 'POST',
      path: '/api/notices',
      body: JSON.stringify({ kind: v, title: v, body: v, priority: v, target: { grids: [v] }, ackDeadlineMinutes: v, attachments: [v] }),
    },
    {
      method: 'POST',
      path: '/api/notices',
      body: JSON.stringify({
        kind: 'missing-person',
        title: v,
        body: v,
        target: { point: { lon: v, lat: v }, radiusM: v },
        person: { name: v, age: v, sex: v, clothing: v, lastSeenAt: v, lastSeen: { lon: v, lat: v } },
      }),
    },
    { method: 'POST', path: '/api/notices', body: `{"kind":"work","title":"t","target":{"point":{"lon":${v || 'NaN'},"lat":21.5},"radiusM":${v || 'NaN'}}}` },
    { method: 'POST', path: '/api/notices/preview', body: JSON.stringify({ target: { grids: [v, `440904004${v}`] } }) },
    { method: 'POST', path: `/api/notices/${e}/ack`, body: '{}' },
    { method: 'POST', path: `/api/notices/${e}/replies`, body: JSON.stringify({ kind: 'clue', text: v, location: { lon: v, lat: v }, attachments: [v] }) },
    { method: 'POST', path: '/api/notices/1/replies', body: JSON.stringify({ kind: v, text: v }) },
    { method: 'GET', path: `/api/notices/attachments/${e}?size=${e}` },
    { method: 'POST', path: `/api/notices/${e}/remind`, body: JSON.stringify({ x: v }) },
    { method: 'POST', path: `/api/notices/${e}/close`, body: JSON.stringify({ outcome: v, note: v }) },
    // On this file's own notice (closing someone else's would change their test).
    { method: 'POST', path: `/api/notices/${fuzzNotice}/close`, body: JSON.stringify({ outcome: 'cancelled', note: v }) },
    // Photos, patrols and coverage.
    { method: 'POST', path: `/api/incidents/${e}/attachments`, body: JSON.stringify({ file: v }) },
    { method: 'GET', path: `/api/attachments/${e}?size=${e}` },
    { method: 'GET', path: `/api/attachments/1?size=${e}` },
    { method: 'POST', path: '/api/patrols', body: JSON.stringify({ startedAt: v }) },
    { method: 'GET', path: `/api/patrols?date=${e}&grid=${e}&person=${e}` },
    { method: 'GET', path: `/api/patrols?date=2026-11-30&grid=${e}` },
    { method: 'GET', path: `/api/patrols/${e}` },
    { method: 'POST', path: `/api/patrols/${e}/positions`, body: JSON.stringify([{ t: '2026-11-30T08:00:00+08:00', lon: 111, lat: 21.5, accuracy: 5 }]) },
    { method: 'POST', path: '/api/patrols/1/positions', body: JSON.stringify([{ t: v, lon: v, lat: v, accuracy: v }]) },
    { method: 'POST', path: '/api/patrols/1/positions', body: `[{"t":"2026-11-30T08:00:00Z","lon":${v || 'NaN'},"lat":21.5,"accuracy":5}]` },
    { method: 'POST', path: `/api/patrols/${e}/end`, body: JSON.stringify({ endedAt: v }) },
    { method: 'GET', path: `/api/coverage?grid=${e}&from=${e}&to=${e}` },
    { method: 'GET', path: `/api/coverage?grid=${e}` },
    { method: 'GET', path: `/api/coverage/workers?grid=${e}&format=${e}&from=${e}` },
    { method: 'GET', path: `/api/coverage/silent?grid=${e}&days=${e}&format=${e}` },
  ]
}

let commander: RequestTarget
let anonymous: RequestTarget
let fuzzNotice = 0
beforeAll(async () => {
  // Sign-in is rate limited per address and username: raised here, where every value is a guess.
  const app = createApp(db, {
    access: { loginAttemptsPerMinute: 100_000, loginAttemptsPerUserPerMinute: 100_000, loginAttemptsPerAddressPerMinute: 100_000, writesPerMinute: 100_000 },
  })
  commander = asViewer(app, await signIn(db, 'commander'))
  anonymous = { request: async (path, init) => app.request(path, init) }
  const [cell] = await db.sql<{ code: string }[]>`select max(cell_code) as code from grid_person where role = 'grid_worker'`
  const sent = await commander.request('/api/notices', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'work', title: 'fuzz', target: { grids: [cell!.code] } }),
  })
  fuzzNotice = ((await sent.json()) as { id: number }).id
})

async function probe(target: RequestTarget, route: { method: string; path: string; body?: string }) {
  const controller = new AbortController()
  const res = await target.request(route.path, {
    method: route.method,
    signal: controller.signal,
    ...(route.body === undefined ? {} : { body: route.body, headers: { 'content-type': 'application/json' } }),
  })
  // A stream (the live feed with harmless values) is not read to its end.
  const body = res.headers.get('content-type')?.includes('event-stream') ? (controller.abort(), '') : await res.text()
  return { status: res.status, body, type: res.headers.get('content-type') ?? '' }
}

describe.each([
  ['a signed-in commander', () => commander],
  ['no session', () => anonymous],
] as const)('hostile parameters from %s', (_who, target) => {
  it.each(HOSTILE.map((v) => [v.length > 40 ? `${v.slice(0, 20)}… (${v.length} chars)` : JSON.stringify(v), v]))(
    '%s: 2xx/4xx only, no SQL or stack',
    async (_label, value) => {
      for (const route of routes(value)) {
        const { status, body, type } = await probe(target(), route)
        const where = `${route.method} ${route.path.slice(0, 120)} → ${status} ${body.slice(0, 200)}`
        expect(status < 500, where).toBe(true)
        expect(LEAK.test(body), where).toBe(false)
        if (status >= 400) expect(type, where).toContain('application/problem+json')
      }
    },
  )
})
