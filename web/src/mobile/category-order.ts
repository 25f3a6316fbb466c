/**
 * The category picker's order: the subcategories this worker chose most often first (counted on
 * the phone, per user), then the rest of the tree in its own order. A worker in a fishing village
 * reports the same few kinds of case; they should be one tap away.
 */
import type { CategoryNode } from '../api/client.ts'

export interface CategoryChoice {
  code: string
  nameZh: string
  nameEn: string
  familyZh: string
  familyEn: string
  color: string
  defaultSeverity: number
}

export type CategoryUsage = Readonly<Record<string, number>>

export function flattenCategories(tree: readonly CategoryNode[]): CategoryChoice[] {
  return tree.flatMap((top) =>
    top.children.map((child) => ({
      code: child.code,
      nameZh: child.nameZh,
      nameEn: child.nameEn,
      familyZh: top.nameZh,
      familyEn: top.nameEn,
      color: top.color,
      defaultSeverity: child.defaultSeverity,
    })),
  )
}

/** The `limit` most used subcategories, most used first (ties: tree order); unknown codes ignored. */
export function pickFrequent(choices: readonly CategoryChoice[], usage: CategoryUsage, limit = 6): CategoryChoice[] {
  return choices
    .map((choice, order) => ({ choice, order, count: usage[choice.code] ?? 0 }))
    .filter((entry) => entry.count > 0)
    .sort((a, b) => b.count - a.count || a.order - b.order)
    .slice(0, limit)
    .map((entry) => entry.choice)
}

const usageKey = (user: string) => `gridscope.categoryUsage.${user}`

export function readUsage(user: string, storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): CategoryUsage {
  try {
    const parsed = JSON.parse(storage?.getItem(usageKey(user)) ?? '{}') as unknown
    if (!parsed || typeof parsed !== 'object') return {}
    return Object.fromEntries(Object.entries(parsed).filter(([, n]) => typeof n === 'number' && Number.isFinite(n) && n > 0)) as CategoryUsage
  } catch {
    return {}
  }
}

export function recordUsage(user: string, code: string, storage: Pick<Storage, 'getItem' | 'setItem'> | undefined = globalThis.localStorage): void {
  const usage = { ...readUsage(user, storage) }
  usage[code] = (usage[code] ?? 0) + 1
  try {
    storage?.setItem(usageKey(user), JSON.stringify(usage))
  } catch {
    // Storage full or refused: the order simply stays as it was.
  }
}
