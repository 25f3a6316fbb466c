import { describe, expect, it } from 'vitest'
import { COLUMNS } from './kinds.ts'
import { readTable } from './read-table.ts'
import { checkRows } from './rows.ts'

const encode = (text: string) => new TextEncoder().encode(text)

describe('reading and checking rows', () => {
  it('matches headers by their Chinese or English name and reads a GBK CSV as Excel saves it', async () => {
    const gbk = new Uint8Array([
      ...Buffer.from('kind,household code,', 'latin1'),
      0xd0,
      0xd5,
      0xc3,
      0xfb, // 姓名 in GBK
      ...Buffer.from(',ID number\r\n', 'latin1'),
      0xbb,
      0xa7,
      0xbc,
      0xae, // 户籍
      ...Buffer.from(',H1,', 'latin1'),
      0xbb,
      0xc6, // 黄
      ...Buffer.from(',11010519491231002x\r\n', 'latin1'),
    ])
    const table = await readTable(gbk, 'csv', COLUMNS.people)
    expect(table.missing).toEqual([])
    const { rows, problems } = checkRows('people', table)
    expect(problems).toEqual([])
    expect(rows).toEqual([{ row: 2, kind: 'registered', household: 'H1', cell: null, address: null, name: '黄', idNumber: '11010519491231002X', phone: null }])
  })

  it('skips blank lines but keeps the spreadsheet’s row numbers, and asks for a household or a cell and address', async () => {
    const table = await readTable(encode('\uFEFF人口类别,姓名,身份证号\n\n户籍,黄伟,11010519491231002X\n'), 'csv', COLUMNS.people)
    const { problems } = checkRows('people', table)
    expect(problems).toMatchObject([{ row: 3, column: '户编号 (household code)', kind: 'required' }])
  })

  it('finds duplicates within the file by each kind’s key', async () => {
    const csv = '网格编码,角色,姓名,联系电话\n440904004001001001,网格员,陈丽,13800138001\n440904004001001001,网格员,陈丽丽,138 0013 8001\n'
    const { problems } = checkRows('workers', await readTable(encode(csv), 'csv', COLUMNS.workers))
    expect(problems).toMatchObject([{ row: 3, column: '联系电话 (phone)', value: '138****8001', kind: 'duplicate' }])
  })

  it('refuses unknown roles and party kinds in words a county officer reads', async () => {
    const party = '网格编码,组织类型,名称\n440904004,党委会,某党委\n4409040,党小组,某小组\n'
    const { problems } = checkRows('party', await readTable(encode(party), 'csv', COLUMNS.party))
    expect(problems.map((p) => [p.row, p.kind])).toEqual([
      [2, 'format'],
      [3, 'format'],
    ])
    expect(problems[0]!.why).toContain('村党委、党总支、网格党支部或党小组')
  })
})
