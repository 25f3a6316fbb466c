import { describe, expect, it } from 'vitest'
import { mulberry32 } from '../../data/generate/prng.ts'
import type { AssigneeView } from '../incidents/assignee.ts'
import { chooseAssignee } from './model.ts'

const person = (id: number): AssigneeView => ({
  kind: 'person',
  id,
  name: '李*',
  nameEn: null,
  role: 'grid_worker',
  cellCode: '440904004204002001',
  cellName: '第1住户小组',
})
const department = (id: number): AssigneeView => ({
  kind: 'department',
  id,
  name: '电海司法所',
  nameEn: 'Dianhai Judicial Office',
  role: 'department',
  cellCode: '440904004',
  cellName: null,
})

describe("the simulator's choice of assignee", () => {
  it('mostly chooses a person of the handling cell and now and then a department', () => {
    const random = mulberry32(7)
    const picks = Array.from({ length: 1000 }, () => chooseAssignee(random, [person(1), person(2), department(9)]))
    const departments = picks.filter((p) => p && 'department' in p).length
    expect(departments).toBeGreaterThan(200)
    expect(departments).toBeLessThan(400)
    expect(new Set(picks.filter((p) => p && 'person' in p).map((p) => (p as { person: number }).person))).toEqual(new Set([1, 2]))
  })

  it('takes a department when the cell has nobody, and nobody when there is no one at all', () => {
    expect(chooseAssignee(() => 0.99, [department(9)])).toEqual({ department: 9 })
    expect(chooseAssignee(() => 0.5, [person(3)])).toEqual({ person: 3 })
    expect(chooseAssignee(() => 0.5, [])).toBeUndefined()
  })
})
