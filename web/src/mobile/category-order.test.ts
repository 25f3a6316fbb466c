import { describe, expect, it } from 'vitest'
import type { CategoryNode } from '../api/client.ts'
import { flattenCategories, pickFrequent, readUsage, recordUsage } from './category-order.ts'

const node = (code: string, children: string[] = []): CategoryNode =>
  ({
    code,
    nameZh: code,
    nameEn: code,
    color: '#123456',
    defaultSeverity: 2,
    dueHours: [168, 72, 24, 8],
    children: children.map((c) => node(`${code}.${c}`)),
  }) as unknown as CategoryNode
const TREE = [node('dispute', ['neighbour', 'land']), node('safety', ['fire', 'road']), node('environment', ['waste'])]

function memoryStorage() {
  const data = new Map<string, string>()
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) }
}

describe('the category picker order', () => {
  it('lists every subcategory in tree order', () => {
    expect(flattenCategories(TREE).map((c) => c.code)).toEqual(['dispute.neighbour', 'dispute.land', 'safety.fire', 'safety.road', 'environment.waste'])
  })

  it("puts the worker's most used first, ties in tree order, unused left out", () => {
    const frequent = pickFrequent(flattenCategories(TREE), { 'safety.road': 5, 'environment.waste': 2, 'dispute.land': 2, 'gone.old': 9 })
    expect(frequent.map((c) => c.code)).toEqual(['safety.road', 'dispute.land', 'environment.waste'])
  })

  it('counts each report per user and survives broken storage', () => {
    const storage = memoryStorage()
    recordUsage('wu', 'safety.fire', storage)
    recordUsage('wu', 'safety.fire', storage)
    recordUsage('lin', 'dispute.land', storage)
    expect(readUsage('wu', storage)).toEqual({ 'safety.fire': 2 })
    storage.setItem('gridscope.categoryUsage.wu', '{not json')
    expect(readUsage('wu', storage)).toEqual({})
    expect(
      readUsage('x', {
        getItem: () => {
          throw new Error('denied')
        },
      }),
    ).toEqual({})
  })
})
