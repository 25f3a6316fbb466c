import { describe, expect, it } from 'vitest'
import { mapLabelOf } from './labels.ts'

describe('mapLabelOf', () => {
  it('shortens the committee suffix of villages and communities', () => {
    expect(mapLabelOf('蓝田坡村委会', 3)).toBe('蓝田坡村')
    expect(mapLabelOf('霞里社区居委会', 3)).toBe('霞里社区')
    expect(mapLabelOf('电海社区居民委员会', 3)).toBe('电海社区')
    expect(mapLabelOf('新兴街居委会', 3)).toBe('新兴街居委')
  })

  it('leaves other names and other levels alone', () => {
    expect(mapLabelOf('曙光农场虚拟生活区', 3)).toBe('曙光农场虚拟生活区')
    expect(mapLabelOf('电海街道', 2)).toBe('电海街道')
    expect(mapLabelOf('第3村民小组', 4)).toBe('第3村民小组')
    expect(mapLabelOf('村委会', 3)).toBe('村委会')
  })
})
