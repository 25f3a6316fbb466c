/**
 * The README's layout section names every folder of `server/` and `web/src/`, and only folders
 * that exist: a capability or screen added without a line there, or a line left behind by one
 * moved away, fails here instead of misleading the next reader.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { expect, it } from 'vitest'

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')

function foldersIn(dir: string): string[] {
  return readdirSync(new URL(`../../${dir}/`, import.meta.url), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
}

/** The text between two markers of the README, each found once. */
function between(start: string, end: string): string {
  const from = README.indexOf(start)
  const to = README.indexOf(end, from)
  expect(from, start).toBeGreaterThan(-1)
  expect(to, end).toBeGreaterThan(from)
  return README.slice(from, to)
}

/** The folders named in the first column of a table's rows (`a/`, or several: `a/`, `b/`). */
function foldersOfTable(text: string, rowStart: RegExp): string[] {
  const names = text
    .split('\n')
    .filter((line) => rowStart.test(line))
    .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([a-z0-9-]+)\/`/g)].map((m) => m[1]!))
  return names.sort()
}

it("names each folder of server/ once in the README's table of capabilities, in the list's indent", () => {
  // The table sits in a list item: a row without the item's two-space indent ends the table there.
  const table = between('The folders of `server/`:', '- `docs/scale.md`')
  const named = foldersOfTable(table, /^ {2}\| `/)
  expect(named).toEqual(foldersIn('server'))
  expect(table.split('\n').filter((line) => /^\s*\|/.test(line) && !/^ {2}\|/.test(line))).toEqual([])
})

it("names each folder of web/src/ once in the README's table of screens and shared folders", () => {
  const table = between('`web/src/` is the client', '**The base map**')
  expect(foldersOfTable(table, /^\| `/)).toEqual(foldersIn('web/src'))
})
