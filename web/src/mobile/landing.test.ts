import { describe, expect, it } from 'vitest'
import type { Me } from '../api/client.ts'
import { landingPath } from '../access/session.tsx'
import { isMobilePath } from './mobile-path.ts'

const viewer = (role: Me['role'], scope: string) => ({ role, scope }) as Me
const CELL = '440904004204001001'

describe('where a signed-in user lands', () => {
  it('takes a grid worker on a small screen to the phone page', () => {
    expect(landingPath(viewer('grid_worker', CELL), null, true)).toBe('/m')
  })

  it('takes a grid worker on a large screen, and every other role, to the map of their scope', () => {
    expect(landingPath(viewer('grid_worker', CELL), null, false)).toBe(`/grid/${CELL}`)
    expect(landingPath(viewer('town_leader', '440904004'), null, true)).toBe('/grid/440904004')
    expect(landingPath(viewer('commander', '440904'), null, true)).toBe('/')
  })

  it('keeps the page asked for', () => {
    expect(landingPath(viewer('grid_worker', CELL), '/analyst', true)).toBe('/analyst')
    expect(landingPath(viewer('commander', '440904'), '/m', false)).toBe('/m')
  })

  it("knows the phone page's addresses", () => {
    expect(isMobilePath('/m')).toBe(true)
    expect(isMobilePath('/m/')).toBe(true)
    expect(isMobilePath('/map')).toBe(false)
  })
})
