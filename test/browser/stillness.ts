/**
 * A screen left alone must go still: a CSS animation that never ends recomposites the whole page
 * every frame, which on a machine without a fast GPU (a wall PC, a thin client, a phone on battery)
 * costs a CPU core or more for nothing. Pulses and glows run a set number of times when something
 * arrives; this waits until none runs (another test's case arriving briefly starts one again).
 */
import { expect } from 'vitest'
import type { Page } from 'playwright-core'

/** The CSS animations running on the page, by name and element. */
export function runningAnimations(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    document
      .getAnimations()
      .filter((a) => a.playState === 'running')
      .map((a) => `${(a as CSSAnimation).animationName ?? 'animation'} on ${(a.effect as KeyframeEffect | null)?.target?.className ?? '?'}`),
  )
}

export async function waitForStillness(page: Page, timeout = 30_000): Promise<void> {
  await expect.poll(() => runningAnimations(page), { timeout, interval: 250 }).toEqual([])
}
