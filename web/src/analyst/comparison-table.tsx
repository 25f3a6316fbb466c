/**
 * This period against the previous one of the same length, per category and per town, with the
 * change (count and percent). Rows are buttons: a click filters by that category or town.
 */
import { useTranslation } from 'react-i18next'
import type { IncidentSummary } from './analyst-api.ts'

type Comparison = IncidentSummary['comparison']
interface Row {
  code: string
  label: string
  current: number
  previous: number
  change: number
  changeRate: number | null
}

export interface ComparisonTableProps {
  comparison: Comparison
  categoryLabel: (code: string) => string
  formatDate: (iso: string) => string
  onCategory: (code: string) => void
  onTown: (code: string) => void
}

const MAX_ROWS = 12

export function ComparisonTable({ comparison, categoryLabel, formatDate, onCategory, onTown }: ComparisonTableProps) {
  const { t } = useTranslation()
  const { current, previous } = comparison
  const categories: Row[] = comparison.byCategory.map((r) => ({ ...r, label: categoryLabel(r.code) }))
  const towns: Row[] = comparison.byTown.map((r) => ({ ...r, label: r.name }))
  const period = (p: { from: string; to: string; total: number }) => `${formatDate(p.from)} – ${formatDate(p.to)}`
  return (
    <div className="comparison">
      <p className="comparison__periods">
        {t('analyst.compare.current')}: {period(current)} · <b data-total={current.total}>{current.total.toLocaleString()}</b>
        <br />
        {t('analyst.compare.previous')}: {period(previous)} · <b>{previous.total.toLocaleString()}</b>
      </p>
      <Table caption={t('analyst.compare.byCategory')} rows={categories} onSelect={onCategory} />
      <Table caption={t('analyst.compare.byTown')} rows={towns} onSelect={onTown} />
    </div>
  )
}

function Table({ caption, rows, onSelect }: { caption: string; rows: Row[]; onSelect: (code: string) => void }) {
  const { t } = useTranslation()
  const shown = [...rows].sort((a, b) => Math.abs(b.change) - Math.abs(a.change)).slice(0, MAX_ROWS)
  return (
    <table className="comparison__table">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('analyst.compare.name')}</th>
          <th scope="col">{t('analyst.compare.current')}</th>
          <th scope="col">{t('analyst.compare.previous')}</th>
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
