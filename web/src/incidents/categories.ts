/**
 * Incident categories by code, for the map and the panels: each subcategory (dispute.neighbour)
 * and top-level category (dispute) with both names and the colour of its top-level category, so
 * the map reads at a glance by kind of case rather than by thirty near-identical shades.
 */
import type { CategoryNode } from '../api/client.ts'
import type { Rgba } from '../map/palette.ts'

export interface CategoryInfo {
  nameZh: string
  nameEn: string
  /** Name of the top-level category (the subcategory's family). */
  familyZh: string
  familyEn: string
  color: Rgba
}

export type CategoryIndex = ReadonlyMap<string, CategoryInfo>

/** Shown for a category the index does not know (a newer server's category). */
export const UNKNOWN_CATEGORY_COLOR: Rgba = [160, 174, 192, 255]

export function indexCategories(tree: readonly CategoryNode[]): CategoryIndex {
  const index = new Map<string, CategoryInfo>()
  for (const top of tree) {
    const family = { familyZh: top.nameZh, familyEn: top.nameEn, color: hexToRgba(top.color) }
    index.set(top.code, { nameZh: top.nameZh, nameEn: top.nameEn, ...family })
    for (const child of top.children) index.set(child.code, { nameZh: child.nameZh, nameEn: child.nameEn, ...family })
  }
  return index
}

export function categoryColor(index: CategoryIndex | undefined, code: string): Rgba {
  return index?.get(code)?.color ?? index?.get(code.split('.')[0]!)?.color ?? UNKNOWN_CATEGORY_COLOR
}

/** "矛盾纠纷 · 邻里纠纷" in Chinese, "Disputes · Neighbours" in English; the code when unknown. */
export function categoryLabel(index: CategoryIndex | undefined, code: string, language: string | undefined): string {
  const info = index?.get(code)
  if (!info) return code
  const english = language?.startsWith('en')
  const [family, name] = english ? [info.familyEn, info.nameEn] : [info.familyZh, info.nameZh]
  return family === name ? name : `${family} · ${name}`
}

export function hexToRgba(hex: string): Rgba {
  const match = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex)
  if (!match) return UNKNOWN_CATEGORY_COLOR
  return [parseInt(match[1]!, 16), parseInt(match[2]!, 16), parseInt(match[3]!, 16), 255]
}
