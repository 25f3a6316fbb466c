import { describe, expect, it } from 'vitest'
import { allowedActions, initialLevel, nextState } from './workflow.ts'

describe('case workflow', () => {
  it('walks the GB/T 30428 loop from report to close', () => {
    let state = { status: 'reported' as const, handlingLevel: 5 } as Parameters<typeof nextState>[0]
    for (const [action, status] of [
      ['register', 'registered'],
      ['dispatch', 'dispatched'],
      ['start', 'handling'],
      ['finish', 'handled'],
      ['verify', 'verified'],
      ['close', 'closed'],
    ] as const) {
      state = nextState(state, action)!
      expect(state.status).toBe(status)
    }
    expect(allowedActions(state)).toEqual([])
  })

  it('has the dismiss, return and reopen paths', () => {
    expect(nextState({ status: 'reported', handlingLevel: 5 }, 'dismiss')!.status).toBe('dismissed')
    expect(nextState({ status: 'dispatched', handlingLevel: 5 }, 'return')!.status).toBe('registered')
    expect(nextState({ status: 'handled', handlingLevel: 5 }, 'reopen')!.status).toBe('handling')
  })

  it('escalates one level at a time up to the district and re-dispatches there', () => {
    let state = { status: 'handling', handlingLevel: 5 } as Parameters<typeof nextState>[0]
    for (const level of [4, 3, 2, 1]) {
      state = nextState(state, 'escalate')!
      expect(state).toEqual({ status: 'dispatched', handlingLevel: level })
    }
    expect(nextState(state, 'escalate')).toBeNull()
    expect(allowedActions(state)).not.toContain('escalate')
  })

  it('refuses actions not allowed from the current status', () => {
    expect(nextState({ status: 'reported', handlingLevel: 5 }, 'close')).toBeNull()
    expect(nextState({ status: 'closed', handlingLevel: 5 }, 'reopen')).toBeNull()
    expect(allowedActions({ status: 'reported', handlingLevel: 5 })).toEqual(['register', 'dismiss'])
  })

  it('starts severe cases higher up', () => {
    expect([1, 2, 3, 4].map(initialLevel)).toEqual([5, 5, 3, 2])
  })
})
