import { describe, expect, it } from 'vitest'
import { breadcrumbOf, isGridCode, levelOfCode, parentCodeOf, pendingBreadcrumb } from './codes.ts'

describe('grid codes', () => {
  it('reads the level off the length of the code', () => {
    expect(levelOfCode('440904')).toBe(1)
    expect(levelOfCode('440904004')).toBe(2)
    expect(levelOfCode('440904004204')).toBe(3)
    expect(levelOfCode('440904004204003')).toBe(4)
    expect(levelOfCode('440904004204003002')).toBe(5)
    expect(levelOfCode('4409')).toBe(0)
    expect(levelOfCode('44')).toBe(-1)
  })

  it('finds the parent: three digits less below the county, the city and province above it, none above the province', () => {
    expect(parentCodeOf('440904004204003002')).toBe('440904004204003')
    expect(parentCodeOf('440904004')).toBe('440904')
    expect(parentCodeOf('440904')).toBe('4409')
    expect(parentCodeOf('4409')).toBe('44')
    expect(parentCodeOf('44')).toBeNull()
  })

  it('accepts the province (2 digits), the city (4), the county (6) and 9 to 18 digits in groups of three, nothing else', () => {
    expect(isGridCode('44')).toBe(true)
    expect(isGridCode('4409')).toBe(true)
    expect(isGridCode('440')).toBe(false)
    expect(isGridCode('44090')).toBe(false)
    expect(isGridCode('440904')).toBe(true)
    expect(isGridCode('440904004204003002')).toBe(true)
    expect(isGridCode('4409040')).toBe(false)
    expect(isGridCode('440904004204003002001')).toBe(false)
    expect(isGridCode('44090a')).toBe(false)
    expect(isGridCode('')).toBe(false)
  })

  it('builds the breadcrumb from the path and the cell', () => {
    const crumbs = breadcrumbOf({
      code: '440904004204',
      level: 3,
      name: '蓝田坡村委会',
      path: [
        { code: '440904', level: 1, name: '电白区' },
        { code: '440904004', level: 2, name: '电海街道' },
      ],
    })
    expect(crumbs.map((step) => step.name)).toEqual(['电白区', '电海街道', '蓝田坡村委会'])
    expect(crumbs.at(-1)).toEqual({ code: '440904004204', level: 3, name: '蓝田坡村委会' })
  })
})

describe('pendingBreadcrumb', () => {
  const path = [
    { code: '440904', level: 1, name: '电白区' },
    { code: '440904004', level: 2, name: '电海街道' },
    { code: '440904004204', level: 3, name: '蓝田坡村委会' },
  ]

  it('cuts the breadcrumb back when going up', () => {
    expect(pendingBreadcrumb(path, '440904004', undefined)?.map((s) => s.name)).toEqual(['电白区', '电海街道'])
  })

  it('extends it by a child whose name is known', () => {
    expect(pendingBreadcrumb(path, '440904004204003', '第3村民小组')?.at(-1)).toEqual({ code: '440904004204003', level: 4, name: '第3村民小组' })
  })

  it('gives up on a cell elsewhere or a child with no name yet', () => {
    expect(pendingBreadcrumb(path, '440904126001', '某村')).toBeNull()
    expect(pendingBreadcrumb(path, '440904004204003', undefined)).toBeNull()
  })
})
