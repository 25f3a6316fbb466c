import { describe, expect, it } from 'vitest'
import { familyState, toggleFamily, toggleSubcategory } from './category-selection.ts'

const DISPUTE = { code: 'dispute', children: [{ code: 'dispute.land' }, { code: 'dispute.neighbour' }, { code: 'dispute.family' }] }

describe('category check boxes', () => {
  it('checks a family in place of its subcategories, and unchecks it', () => {
    expect(toggleFamily(['dispute.land', 'safety'], DISPUTE)).toEqual(['dispute', 'safety'])
    expect(toggleFamily(['dispute', 'safety'], DISPUTE)).toEqual(['safety'])
  })

  it('unchecking one subcategory of a checked family keeps its siblings', () => {
    expect(toggleSubcategory(['dispute'], DISPUTE, 'dispute.land')).toEqual(['dispute.family', 'dispute.neighbour'])
  })

  it('checking the last subcategory gives the family', () => {
    expect(toggleSubcategory(['dispute.family', 'dispute.neighbour'], DISPUTE, 'dispute.land')).toEqual(['dispute'])
  })

  it('reports a partly checked family as mixed', () => {
    expect(familyState(['dispute.land'], DISPUTE)).toBe('mixed')
    expect(familyState([], DISPUTE)).toBe('unchecked')
    expect(familyState(['dispute'], DISPUTE)).toBe('checked')
  })
})
