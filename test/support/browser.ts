/**
 * Browser tests drive Debian's Chromium with playwright-core. Where Chromium is missing they
 * are skipped with a message saying how to enable them (apt-get install chromium fonts-noto-cjk).
 */
import { existsSync, mkdirSync } from 'node:fs'
import { chromium, type Browser, type Page } from 'playwright-core'
import { serveApp } from './serve-app.ts'
import type { AppOptions } from '../../server/app.ts'
import { signIn } from './auth.ts'
import { SESSION_COOKIE } from '../../server/access/sessions.ts'
import type { Database } from '../../server/db/connect.ts'
import type { LiveHub } from '../../server/incidents/live.ts'
import { mountWebClient } from '../../server/http/static.ts'
import { ensureWebBuilt } from '../../server/web-build.ts'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const HAS_CHROMIUM = existsSync(CHROMIUM_PATH)
export const ARTIFACTS_DIR = new URL('../artifacts/', import.meta.url).pathname

if (!HAS_CHROMIUM) {
  console.warn(`[browser tests skipped] ${CHROMIUM_PATH} not found: run "apt-get install -y chromium fonts-noto-cjk" (or set CHROMIUM_PATH) to enable them.`)
}

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true })
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
    ],
  })
}

export interface WebServer {
  url: string
  /** The server's live feed, to wait until a page's subscription is attached. */
  liveHub: LiveHub
  /** A commander's session (Cookie header value), for fetch() and for signed-in pages. */
  cookie: string
  close(): Promise<void>
}

/** Builds the web client if needed and serves it with the API on a free loopback port (with the app's options, e.g. a basemap). */
export async function startWebServer(db: Database, options: Omit<AppOptions, 'extend'> = {}): Promise<WebServer> {
  await ensureWebBuilt()
  const server = await serveApp(db, { ...options, extend: (app) => mountWebClient(app) })
  return { ...server, cookie: await signIn(db) }
}

/** Puts a session cookie into the page's browser context: the page is signed in. */
export async function signInPage(page: Page, server: { url: string; cookie: string }): Promise<void> {
  const token = server.cookie.slice(SESSION_COOKIE.length + 1)
  await page.context().addCookies([{ name: SESSION_COOKIE, value: token, url: server.url, httpOnly: true, sameSite: 'Strict' }])
}

/**
 * A new page that records page errors and WebGL's own complaints (a bad texture or draw call is
 * only ever a warning) into `errors`, so a test can assert the map rendered cleanly.
 */
export async function openWatchedPage(browser: Browser, viewport: { width: number; height: number }, errors: string[], signedInTo?: WebServer): Promise<Page> {
  const page = await browser.newPage({ viewport, locale: 'zh-CN' })
  if (signedInTo) await signInPage(page, signedInTo)
  page.on('pageerror', (error) => errors.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error' || message.text().startsWith('WebGL:')) errors.push(message.text())
  })
  return page
}
