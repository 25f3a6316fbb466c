import { describe, expect, it } from 'vitest'
import { fitLabel } from './bar-chart.tsx'

describe('fitLabel', () => {
  it('keeps a label that fits and cuts one that does not, by width not by count', () => {
    expect(fitLabel('邻里纠纷', 106)).toBe('邻里纠纷')
    expect(fitLabel('Neighbours', 106)).toBe('Neighbours')
    expect(fitLabel('Road traffic hazards', 106)).toMatch(/^Road traffic.*…$/)
    expect(fitLabel('电海街道乔梅村委会第三村民小组', 106)).toMatch(/^电海街道乔梅村…$/)
  })
})
