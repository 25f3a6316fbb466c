/**
 * /api/docs in Chromium with every request to another host refused (as on a network without the
 * internet): the reference renders from this server's own files, lists an entry for every
 * operation of /api/openapi.json, and opening one shows its parameters. No request left the
 * origin and the page logged no error (a CSP violation would). Screenshots: api-docs-top.png, api-docs.png.
 */
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../server/db/connect.ts'
import { ARTIFACTS_DIR, HAS_CHROMIUM, launchBrowser, openWatchedPage } from '../support/browser.ts'
import { connectTestDatabase } from '../support/database.ts'
import { serveApp } from '../support/serve-app.ts'

const VIEWPORT = { width: 1440, height: 900 }

describe.skipIf(!HAS_CHROMIUM)('the API reference in a browser, offline', () => {
  let db: Database
  let server: Awaited<ReturnType<typeof serveApp>>
  let browser: Browser
  let page: Page
  const pageErrors: string[] = []
  const refused: string[] = []

  beforeAll(async () => {
    db = connectTestDatabase()
    server = await serveApp(db)
    browser = await launchBrowser()
    page = await openWatchedPage(browser, VIEWPORT, pageErrors) // no session: the reference is public
    await page.route('**/*', (route) => {
      const url = route.request().url()
      if (url.startsWith(`${server.url}/`)) return route.continue()
      refused.push(url)
      return route.abort('internetdisconnected')
    })
  })

  afterAll(async () => {
    await browser?.close()
    await server?.close()
    await db?.close()
  })

  it('lists every operation of the document and opens one', async () => {
    const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, { summary: string }>> }
    const operations = Object.values(doc.paths).flatMap((item) => Object.values(item))
    await page.goto(`${server.url}/api/docs`)
    const blocks = page.locator('.opblock')
    await expect.poll(() => blocks.count(), { timeout: 30_000 }).toBe(operations.length)
    await expect.poll(() => page.locator('.info .title').textContent()).toContain('Gridscope API')
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'api-docs-top.png') })

    // One operation opened: its summary, its query parameters from the route's schema.
    const list = page.locator('.opblock-get', { hasText: 'keyset-paged' })
    await list.locator('.opblock-summary').first().click()
    await list.locator('.parameters').waitFor()
    for (const name of ['bbox', 'grid', 'status', 'cursor']) await expect.poll(() => list.locator(`tr[data-param-name="${name}"]`).count()).toBe(1)

    await page.screenshot({ path: join(ARTIFACTS_DIR, 'api-docs.png') })
    expect(refused).toEqual([])
    expect(pageErrors).toEqual([])
  })
})
