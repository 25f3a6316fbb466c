import { describe, expect, it } from 'vitest'
import { codeFromPath, pathOfCode } from './grid-route.ts'

describe('codeFromPath', () => {
  it('reads the code of a grid path', () => {
    expect(codeFromPath('/grid/440904004204003002')).toBe('440904004204003002')
    expect(codeFromPath('/grid/440904004/')).toBe('440904004')
  })

  it('gives the root for / and for anything that is not a valid grid path', () => {
    expect(codeFromPath('/')).toBeNull()
    expect(codeFromPath('/grid/')).toBeNull()
    expect(codeFromPath('/grid/44090400')).toBeNull()
    expect(codeFromPath('/grid/abc')).toBeNull()
    expect(codeFromPath('/grid/440904/extra')).toBeNull()
    expect(codeFromPath('/api/grids/440904')).toBeNull()
  })
})

describe('pathOfCode', () => {
  it('puts a cell under /grid/ and the root at /', () => {
    expect(pathOfCode('440904004204')).toBe('/grid/440904004204')
    expect(pathOfCode(null)).toBe('/')
    expect(pathOfCode('440904', '440904')).toBe('/')
  })

  it('round-trips with codeFromPath', () => {
    for (const code of ['440904004', '440904004204003002']) expect(codeFromPath(pathOfCode(code))).toBe(code)
  })
})
