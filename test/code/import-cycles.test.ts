/**
 * The import graph of server/, web/src/ and data/ has no cycles (madge, type imports included: a
 * cycle of types still ties two layers together). A layer imports only the layers below it, so a
 * cycle means a capability's pieces cannot be read, tested or moved one at a time.
 *
 * KNOWN_CYCLES holds the cycles the code had when this test was written, while they were being
 * removed; it may only shrink. The test fails on any cycle not listed, and on a listed one that is
 * gone (delete it from the list), so the list ends empty and stays so.
 */
import madge from 'madge'
import { expect, it } from 'vitest'

const KNOWN_CYCLES: string[][] = []

/** A cycle written from its smallest file name, so the same cycle always reads the same. */
function normaliseCycle(cycle: string[]): string {
  const start = cycle.indexOf([...cycle].sort()[0]!)
  return [...cycle.slice(start), ...cycle.slice(0, start)].join(' → ')
}

it('finds no import cycle in server/, web/src/ and data/', { timeout: 60_000 }, async () => {
  const graph = await madge(['server', 'web/src', 'data'], {
    fileExtensions: ['ts', 'tsx'],
    tsConfig: 'tsconfig.json',
    excludeRegExp: [/node_modules/, /\.test\.tsx?$/],
  })
  // The graph really was read: every folder contributed its files.
  const files = Object.keys(graph.obj())
  for (const folder of ['server/', 'web/src/', 'data/']) expect(files.filter((f) => f.startsWith(folder)).length, folder).toBeGreaterThan(10)

  const found = graph.circular().map(normaliseCycle).sort()
  const known = KNOWN_CYCLES.map(normaliseCycle).sort()
  expect(
    found.filter((cycle) => !known.includes(cycle)),
    'new import cycles',
  ).toEqual([])
  expect(
    known.filter((cycle) => !found.includes(cycle)),
    'cycles no longer there: remove them from KNOWN_CYCLES',
  ).toEqual([])
})
