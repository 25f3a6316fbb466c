/**
 * A screen left alone must go still: a CSS animation that never ends recomposites the whole page
 * every frame, which on a machine without a fast GPU (a wall PC, a thin client, a phone on battery)
 * costs a CPU core or more for nothing. Pulses and glows run a set number of times when something
 * arrives (other tests' cases arrive all the time, so a page is rarely without one running); what
 * must not be there is an animation without end once the screen has loaded (its spinner gone).
 */
import { expect } from 'vitest'
import type { Locator, Page } from 'playwright-core'

/** The running CSS animations of the page that never end, by name and element. */
export function endlessAnimations(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    document
      .getAnimations()
      .filter((a) => a.playState === 'running' && a.effect?.getComputedTiming().iterations === Number.POSITIVE_INFINITY)
      .map((a) => `${(a as CSSAnimation).animationName ?? 'animation'} on ${(a.effect as KeyframeEffect | null)?.target?.className ?? '?'}`),
  )
}

export async function waitForNoEndlessAnimation(page: Page, timeout = 30_000): Promise<void> {
  await expect.poll(() => endlessAnimations(page), { timeout, interval: 250 }).toEqual([])
}

/** How many times each CSS animation of an element runs (Infinity for one without end). */
export function animationRuns(locator: Locator): Promise<number[]> {
  return locator.evaluate((element) => element.getAnimations().map((a) => a.effect?.getComputedTiming().iterations ?? 0))
}
