/**
 * The category tree's check boxes over the filter's category list, which holds family codes
 * (dispute: every kind of dispute) and subcategory codes (dispute.land). Checking a family
 * replaces its subcategories by it; unchecking one subcategory of a checked family keeps its
 * siblings; checking the last unchecked subcategory gives the family. Pure, so it is tested.
 */
export interface CategoryFamily {
  code: string
  children: readonly { code: string }[]
}

export type CheckState = 'checked' | 'mixed' | 'unchecked'

export function familyState(selected: readonly string[], family: CategoryFamily): CheckState {
  if (selected.includes(family.code)) return 'checked'
  return family.children.some((c) => selected.includes(c.code)) ? 'mixed' : 'unchecked'
}

export function isSubcategoryChecked(selected: readonly string[], family: CategoryFamily, code: string): boolean {
  return selected.includes(family.code) || selected.includes(code)
}

const outside = (selected: readonly string[], family: CategoryFamily) => selected.filter((c) => c !== family.code && c.split('.')[0] !== family.code)

export function toggleFamily(selected: readonly string[], family: CategoryFamily): string[] {
  const rest = outside(selected, family)
  return (familyState(selected, family) === 'checked' ? rest : [...rest, family.code]).sort()
}

export function toggleSubcategory(selected: readonly string[], family: CategoryFamily, code: string): string[] {
  const rest = outside(selected, family)
  const checked = new Set(family.children.map((c) => c.code).filter((c) => isSubcategoryChecked(selected, family, c)))
  if (checked.has(code)) checked.delete(code)
  else checked.add(code)
  if (checked.size === family.children.length) return [...rest, family.code].sort()
  return [...rest, ...checked].sort()
}
