/**
 * `npm run bench`: Gridscope's benchmarks. Machines here are noisy, so every figure comes with a
 * ratio against a baseline measured in the same run; the absolute times are for orientation.
 */
import { describeMachine } from './support/machine.ts'
import { benchStartup } from './startup.ts'

console.log(`Gridscope benchmarks on ${describeMachine()}\n`)

console.log('Start-up (to the first healthy /api/health; baseline: a bare process opening the same database)')
for (const r of await benchStartup()) {
  console.log(
    `  ${r.database.padEnd(22)} cold ${(r.coldMs / 1000).toFixed(1)} s (${(r.coldMs / r.baselineMs).toFixed(1)}× baseline)` +
      `  warm ${(r.warmMs / 1000).toFixed(1)} s (${(r.warmMs / r.baselineMs).toFixed(2)}× baseline)  baseline ${(r.baselineMs / 1000).toFixed(1)} s`,
  )
}
