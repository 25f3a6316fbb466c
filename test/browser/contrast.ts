/**
 * Text contrast as axe-core's `color-contrast` rule judges it (WCAG 2 AA: 4.5:1, or 3:1 for large
 * text), on the page as drawn. axe is evaluated in the page (not added as a script tag, which the
 * app's Content-Security-Policy refuses). Text over the map's canvas is not judged: axe cannot read
 * a canvas and leaves such text "incomplete", not failed.
 */
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import type { AxeResults } from 'axe-core'
import type { Page } from 'playwright-core'

const AXE_SOURCE = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** Each text under `scope` whose contrast is too low: its selector and axe's reason. */
export async function lowContrastTexts(page: Page, scope: string): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(await AXE_SOURCE)
  return page.evaluate(async (scope) => {
    const axe = (window as unknown as { axe: { run(context: string, options: object): Promise<AxeResults> } }).axe
    const result = await axe.run(scope, { runOnly: { type: 'rule', values: ['color-contrast'] } })
    return result.violations.flatMap((violation) => violation.nodes.map((node) => `${node.target.join(' ')}: ${node.any[0]?.message ?? violation.help}`))
  }, scope)
}
