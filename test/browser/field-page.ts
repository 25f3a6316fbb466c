/**
 * Driving the grid worker's phone page (/m) from tests: a phone-sized browser context with a
 * position and the geolocation permission, signed in as a given session; filling the report
 * form; reading the send queue's count; finding what reached the server.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { SESSION_COOKIE } from '../../server/access/sessions.ts'

export const PHONE = { width: 390, height: 844 }

export interface Position {
  longitude: number
  latitude: number
  accuracy?: number
}

export async function openPhone(
  browser: Browser,
  baseUrl: string,
  cookie: string,
  position: Position,
  errors: string[],
  viewport = PHONE,
  locale = 'zh-CN',
): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport,
    locale,
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    permissions: ['geolocation'],
    geolocation: { accuracy: 12, ...position },
  })
  await context.addCookies([{ name: SESSION_COOKIE, value: cookie.slice(SESSION_COOKIE.length + 1), url: baseUrl, httpOnly: true, sameSite: 'Strict' }])
  context.on('page', (page) => watch(page, errors))
  return context
}

function watch(page: Page, errors: string[]): void {
  page.on('pageerror', (error) => errors.push(error.message))
  page.on('console', (message) => {
    // Requests refused while offline or with the server gone are expected in these tests.
    if (message.type() === 'error' && !/Failed to load resource|ERR_INTERNET_DISCONNECTED|ERR_CONNECTION/.test(message.text())) errors.push(message.text())
  })
}

export interface ReportInput {
  category: string
  title: string
  description?: string
  photos: { name: string; mimeType: string; buffer: Buffer }[]
}

/** Fills and sends the report form; resolves once the form has taken it (the queue holds it). */
export async function sendReport(page: Page, input: ReportInput): Promise<void> {
  await page.locator('select[name="category"]').selectOption(input.category)
  await page.locator('input[name="title"]').fill(input.title)
  if (input.description) await page.locator('textarea[name="description"]').fill(input.description)
  if (input.photos.length) {
    await page.locator('#field-report-photos').setInputFiles(input.photos)
    await page
      .locator('.field-photos__item img')
      .nth(input.photos.length - 1)
      .waitFor()
  }
  await page.locator('.field-form button[type="submit"]').click()
  await page.locator('.field-notice').waitFor()
  // The form is empty again: the report is in the queue, not in the form.
  await page.waitForFunction(() => (document.querySelector('input[name="title"]') as HTMLInputElement | null)?.value === '')
}

/** The 待发送 count shown, or 0 when the banner says nothing waits. */
export async function waitingCount(page: Page): Promise<number> {
  const count = page.getByTestId('queue-count')
  if ((await count.count()) === 0) return 0
  return Number(/\d+/.exec(await count.innerText())?.[0] ?? 0)
}

export interface ServerCase {
  id: number
  title: string
  attachments: { id: number; width: number; height: number; takenAt: string | null; addedBy: string }[]
}

/** The cases with exactly this title in `grid`, with their photos, as the commander sees them. */
export async function casesTitled(baseUrl: string, cookie: string, grid: string, title: string): Promise<ServerCase[]> {
  const list = (await (await fetch(`${baseUrl}/api/incidents?grid=${grid}&q=${encodeURIComponent(title)}&limit=50`, { headers: { cookie } })).json()) as {
    items: { id: number; title: string }[]
  }
  const exact = list.items.filter((item) => item.title === title)
  return Promise.all(exact.map(async (item) => (await (await fetch(`${baseUrl}/api/incidents/${item.id}`, { headers: { cookie } })).json()) as ServerCase))
}

/** The bytes of the first photo of the oldest item in the page's send queue (IndexedDB). */
export async function queuedPhotoBytes(page: Page): Promise<number[]> {
  return page.evaluate(
    () =>
      new Promise<number[]>((resolve, reject) => {
        const open = indexedDB.open('gridscope-field')
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const request = open.result.transaction('queue').objectStore('queue').getAll()
          request.onerror = () => reject(request.error)
          request.onsuccess = () => {
            const items = (request.result as { createdAt: number; photos: { blob: Blob }[] }[]).sort((a, b) => a.createdAt - b.createdAt)
            const blob = items[0]?.photos[0]?.blob
            if (!blob) return reject(new Error('No queued photo.'))
            void blob.arrayBuffer().then((buffer) => resolve(Array.from(new Uint8Array(buffer))))
          }
        }
      }),
  )
}
