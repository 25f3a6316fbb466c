/**
 * This period against an earlier one, per category and per town, with the change (count and
 * percent): 环比 (the period of the same length just before) or 同比 (the same dates a year
 * earlier), chosen with two buttons. Rows are buttons: a click filters by that category or town.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import type { IncidentSummary } from './analyst-api.ts'

type Comparison = IncidentSummary['comparison']
type Basis = Comparison['basis']
interface Row {
  code: string
  label: string
  current: number
  previous: number
  change: number
  changeRate: number | null
}

export interface ComparisonTableProps {
  /** The same period against each basis (环比 first). */
  comparisons: readonly Comparison[]
  categoryLabel: (code: string) => string
  formatDate: (iso: string) => string
  onCategory: (code: string) => void
  onTown: (code: string) => void
}

const MAX_ROWS = 12

export function ComparisonTable({ comparisons, categoryLabel, formatDate, onCategory, onTown }: ComparisonTableProps) {
  const { t } = useTranslation()
  const [basis, setBasis] = useState<Basis>('previous')
  const comparison = comparisons.find((c) => c.basis === basis) ?? comparisons[0]!
  const { current, previous } = comparison
  const earlier = t(comparison.basis === 'year' ? 'analyst.compare.lastYear' : 'analyst.compare.previous')
  const categories: Row[] = comparison.byCategory.map((r) => ({ ...r, label: categoryLabel(r.code) }))
  const towns: Row[] = comparison.byTown.map((r) => ({ ...r, label: r.name }))
  const period = (p: { from: string; to: string; total: number }) => `${formatDate(p.from)} – ${formatDate(p.to)}`
  return (
    <div className="comparison" data-basis={comparison.basis}>
      <div className="comparison__bases" role="group" aria-label={t('analyst.compare.basis')}>
        {comparisons.map((c) => (
          <button
            key={c.basis}
            type="button"
            className="chip"
            aria-pressed={c.basis === comparison.basis}
            title={t(c.basis === 'year' ? 'analyst.compare.yoyHint' : 'analyst.compare.momHint')}
            onClick={() => setBasis(c.basis)}
          >
            {t(c.basis === 'year' ? 'analyst.compare.yoy' : 'analyst.compare.mom')}
          </button>
        ))}
      </div>
      <p className="comparison__periods">
        {t('analyst.compare.current')}: {period(current)} · <b data-total={current.total}>{current.total.toLocaleString()}</b>
        <br />
        {earlier}: {period(previous)} · <b data-total={previous.total}>{previous.total.toLocaleString()}</b>
      </p>
      <Table caption={t('analyst.compare.byCategory')} earlier={earlier} rows={categories} onSelect={onCategory} />
      <Table caption={t('analyst.compare.byTown')} earlier={earlier} rows={towns} onSelect={onTown} />
    </div>
  )
}

function Table({ caption, earlier, rows, onSelect }: { caption: string; earlier: string; rows: Row[]; onSelect: (code: string) => void }) {
  const { t } = useTranslation()
  const shown = [...rows].sort((a, b) => Math.abs(b.change) - Math.abs(a.change)).slice(0, MAX_ROWS)
  return (
    <table className="comparison__table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('analyst.compare.name')}</th>
          <th scope="col">{t('analyst.compare.current')}</th>
          <th scope="col">{earlier}</th>
          <th scope="col">{t('analyst.compare.change')}</th>
        </tr>
      </thead>
      <tbody>
        {shown.map((row) => (
          <tr key={row.code} data-code={row.code} tabIndex={0} onClick={() => onSelect(row.code)} onKeyDown={(e) => e.key === 'Enter' && onSelect(row.code)}>
            <th scope="row">{row.label}</th>
            <td>{row.current.toLocaleString()}</td>
            <td>{row.previous.toLocaleString()}</td>
            <td className={row.change > 0 ? 'change change--up' : row.change < 0 ? 'change change--down' : 'change'}>
              {row.change > 0 ? '+' : ''}
              {row.change.toLocaleString()}
              {row.changeRate !== null && ` (${row.changeRate > 0 ? '+' : ''}${(row.changeRate * 100).toFixed(0)}%)`}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
