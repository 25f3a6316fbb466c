/**
 * /report?grid=&period=: the evaluation report of one grid for a month or ISO week, laid out for
 * A4 paper (report.css: print stylesheet, page numbers in the page margins, table rows never cut).
 * The header carries the grid, the period and the time printed; the sections are the key figures
 * with 环比 and 同比, the score and its breakdown, the cells below ranked (table and chart), the
 * top categories and the overdue cases. No resident appears: case rows carry no parties.
 */
import { useQuery } from '@tanstack/react-query'
import { useEffect } from 'react'
import { useTranslation } from 'react-i18next'
import { queryKeys } from '../api/query-keys.ts'
import { BarChart, ScoreMap } from './report-charts.tsx'
import { useGridChildrenGeometry } from '../api/queries.ts'
import { defaultPeriod, fetchReport, type EvaluationReport } from './report-api.ts'
import { periodKind, periodLabel } from './periods.ts'

const weekly = (label: string) => periodKind(label) === 'week'
import './report.css'

type Figures = EvaluationReport['current']
type IndicatorKey = keyof Figures['indicators']
const COUNT_KEYS = ['reports', 'registered', 'closed', 'overdue'] as const
const RATE_KEYS: IndicatorKey[] = [
  'registrationRate',
  'onTimeRate',
  'closureRate',
  'reworkRate',
  'overdueRate',
  'gridResolutionRate',
  'townResolutionRate',
  'disputeResolutionRate',
  'patrolCoverage',
  'noticeAckRate',
]
const HOUR_KEYS: ReadonlySet<IndicatorKey> = new Set(['meanHoursToClose', 'meanHoursToAck'])

const percent = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`)
const hours = (v: number | null) => (v === null ? '—' : v.toFixed(1))
const formatIndicator = (key: IndicatorKey, v: number | null) => (HOUR_KEYS.has(key) ? hours(v) : percent(v))

/** The change from `before` to `now`: relative for counts, in percentage points for rates. */
function change(now: number | null, before: number | null, kind: 'count' | 'rate' | 'hours'): string {
  if (now === null || before === null) return '—'
  if (kind === 'rate') {
    const d = (now - before) * 100
    return `${d >= 0 ? '+' : ''}${d.toFixed(1)} pt`
  }
  if (before === 0) return now === 0 ? '0' : '—'
  const r = ((now - before) / before) * 100
  return `${r >= 0 ? '+' : ''}${r.toFixed(1)}%`
}

export default function ReportPage() {
  const { t, i18n } = useTranslation()
  const params = new URLSearchParams(window.location.search)
  const grid = params.get('grid')
  const period = params.get('period') ?? defaultPeriod()
  const report = useQuery({ queryKey: queryKeys.evaluation.report(grid, period), queryFn: () => fetchReport(grid, period) })
  // The outlines of the cells below, for the score map (a household group has none).
  const outlines = useGridChildrenGeometry(report.data && report.data.children.length > 0 ? report.data.grid.code : undefined)

  useEffect(() => {
    document.title = report.data ? `${report.data.grid.name} ${report.data.period.label} ${t('report.documentTitle')}` : t('report.documentTitle')
  }, [report.data, t])

  if (report.isError)
    return (
      <main className="report">
        <p role="alert">{t('report.error', { message: report.error.message })}</p>
      </main>
    )
  // Ready to print once the map's outlines are in too (or failed: the report prints without the map).
  if (!report.data || (report.data.children.length > 0 && outlines.isPending))
    return (
      <main className="report">
        <p>{t('report.loading')}</p>
      </main>
    )
  const r = report.data
  const ranked = [...r.children].sort((a, b) => (a.rank ?? 1e9) - (b.rank ?? 1e9) || a.code.localeCompare(b.code))
  const scoreOf = new Map(r.children.map((c) => [c.code, c.score]))
  const mapCells = (outlines.data?.features ?? [])
    .filter((f) => f.properties.parentCode === r.grid.code)
    .map((f) => ({
      code: f.properties.code,
      name: f.properties.name,
      geometry: f.geometry,
      labelPoint: f.properties.labelPoint,
      score: scoreOf.get(f.properties.code) ?? null,
    }))
  const printedAt = new Date(r.printedAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })

  return (
    <main className="report" data-ready="true">
      <header className="report-header">
        <h1>{t('report.title', { grid: r.grid.fullName })}</h1>
        <p>
          <span data-testid="report-period">
            {t('report.period', { period: r.period.label })}
            {/* A week also as people say it: 2026年第40周 9月28日–10月4日. */}
            {weekly(r.period.label) && ` (${periodLabel(r.period.label, i18n.resolvedLanguage)})`}
          </span>
          <span>{r.grid.code}</span>
          <span>{t('report.printedAt', { time: printedAt })}</span>
        </p>
        <button type="button" className="report-print" onClick={() => window.print()}>
          {t('report.print')}
        </button>
      </header>

      <section>
        <h2>{t('report.kpis')}</h2>
        <table className="report-table">
          <thead>
            <tr>
              <th>{t('report.indicator')}</th>
              <th>
                {t('report.current')}
                <br />
                <small>{r.period.label}</small>
              </th>
              <th>
                {t('report.previous')}
                <br />
                <small>{r.previousPeriod.label}</small>
              </th>
              <th>{t('report.mom')}</th>
              <th>
                {t('report.lastYear')}
                <br />
                <small>{r.lastYearPeriod.label}</small>
              </th>
              <th>{t('report.yoy')}</th>
            </tr>
          </thead>
          <tbody>
            {COUNT_KEYS.map((key) => (
              <tr key={key}>
                <th scope="row">{t(`report.counts.${key}`)}</th>
                <td>{r.current.counts[key]}</td>
                <td>{r.previous.counts[key]}</td>
                <td>{change(r.current.counts[key], r.previous.counts[key], 'count')}</td>
                <td>{r.lastYear.counts[key]}</td>
                <td>{change(r.current.counts[key], r.lastYear.counts[key], 'count')}</td>
              </tr>
            ))}
            {[...RATE_KEYS, 'meanHoursToClose' as const, 'meanHoursToAck' as const].map((key) => {
              const kind = HOUR_KEYS.has(key) ? 'hours' : 'rate'
              return (
                <tr key={key}>
                  <th scope="row">{t(`report.indicators.${key}`)}</th>
                  <td>{formatIndicator(key, r.current.indicators[key])}</td>
                  <td>{formatIndicator(key, r.previous.indicators[key])}</td>
                  <td>{change(r.current.indicators[key], r.previous.indicators[key], kind)}</td>
                  <td>{formatIndicator(key, r.lastYear.indicators[key])}</td>
                  <td>{change(r.current.indicators[key], r.lastYear.indicators[key], kind)}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </section>

      <section>
        <h2>{t('report.score')}</h2>
        <p className="report-score">
          {r.current.score === null
            ? r.current.counts.reports === 0
              ? t('report.noScore')
              : t('report.notRanked')
            : t('report.scoreLine', { score: r.current.score.toFixed(1), rank: r.current.rank, peers: r.current.peers })}
          {r.current.pulledDownBy && <> · {t('report.pulledDownBy', { indicator: t(`report.indicators.${r.current.pulledDownBy}`) })}</>}
        </p>
        {r.current.score !== null && (
          <table className="report-table">
            <caption>{t('report.breakdown')}</caption>
            <thead>
              <tr>
                <th>{t('report.indicator')}</th>
                <th>{t('report.current')}</th>
                <th>{t('report.weight')}</th>
                <th>{t('report.normalised')}</th>
                <th>{t('report.lost')}</th>
              </tr>
            </thead>
            <tbody>
              {r.current.breakdown.map((b) => (
                <tr key={b.indicator} className={b.indicator === r.current.pulledDownBy ? 'report-worst' : undefined}>
                  <th scope="row">{t(`report.indicators.${b.indicator}`)}</th>
                  <td>{formatIndicator(b.indicator, b.value)}</td>
                  <td>{b.weight}</td>
                  <td>{b.normalised === null ? '—' : b.normalised.toFixed(2)}</td>
                  <td>{b.lost === null ? '—' : b.lost.toFixed(1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {ranked.length > 0 && (
        <section>
          <h2>{t('report.children')}</h2>
          <BarChart
            title={t('report.chart')}
            bars={ranked.map((c) => ({ id: c.code, label: c.name, value: c.score }))}
            max={100}
            emptyLabel={t('report.noScoreCell')}
          />
          {mapCells.length > 0 && <ScoreMap cells={mapCells} title={t('report.map')} noDataLabel={t('report.noScoreCell')} />}
          <table className="report-table">
            <thead>
              <tr>
                <th>{t('report.rank')}</th>
                <th>{t('report.grid')}</th>
                <th>{t('report.reports')}</th>
                <th>{t('report.indicators.closureRate')}</th>
                <th>{t('report.indicators.onTimeRate')}</th>
                <th>{t('report.scoreColumn')}</th>
                <th>{t('report.worstIndicator')}</th>
              </tr>
            </thead>
            <tbody>
              {ranked.map((c) => (
                <tr key={c.code}>
                  <td>{c.rank ?? '—'}</td>
                  <th scope="row">{c.name}</th>
                  <td>{c.counts.reports}</td>
                  <td>{percent(c.indicators.closureRate)}</td>
                  <td>{percent(c.indicators.onTimeRate)}</td>
                  <td>{c.score === null ? t('report.noScoreCell') : c.score.toFixed(1)}</td>
                  <td>{c.pulledDownBy ? t(`report.indicators.${c.pulledDownBy}`) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}

      <section>
        <h2>{t('report.categories')}</h2>
        {r.categories.length === 0 && <p>{t('report.noCases')}</p>}
        <BarChart
          title={t('report.categories')}
          bars={r.categories.map((c) => ({ id: c.category, label: c.name, value: c.count }))}
          max={Math.max(1, ...r.categories.map((c) => c.count))}
          emptyLabel="—"
        />
      </section>

      <section>
        <h2>{t('report.overdue')}</h2>
        {r.overdue.length === 0 ? (
          <p>{t('report.noOverdue')}</p>
        ) : (
          <table className="report-table">
            <thead>
              <tr>
                <th>{t('report.caseId')}</th>
                <th>{t('report.caseTitle')}</th>
                <th>{t('report.category')}</th>
                <th>{t('report.grid')}</th>
                <th>{t('report.level')}</th>
                <th>{t('report.dueAt')}</th>
                <th>{t('report.hoursOverdue')}</th>
              </tr>
            </thead>
            <tbody>
              {r.overdue.map((o) => (
                <tr key={o.id}>
                  <td>{o.id}</td>
                  <td>{o.title}</td>
                  <td>{o.categoryName}</td>
                  <td>{o.gridName}</td>
                  <td>{o.handlingLevel}</td>
                  <td>{new Date(o.dueAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })}</td>
                  <td>{o.hoursOverdue}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section data-testid="report-notices">
        <h2>{t('report.notices')}</h2>
        {r.notices.length === 0 ? (
          <p>{t('report.noNotices')}</p>
        ) : (
          <table className="report-table">
            <thead>
              <tr>
                <th>{t('report.noticeSent')}</th>
                <th>{t('report.noticeTitle')}</th>
                <th>{t('report.noticeRecipients')}</th>
                <th>{t('report.noticeAcked')}</th>
                <th>{t('report.noticeOnTime')}</th>
                <th>{t('report.noticeHours')}</th>
              </tr>
            </thead>
            <tbody>
              {r.notices.map((n) => (
                <tr key={n.id}>
                  <td>{new Date(n.createdAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })}</td>
                  <td>{n.title}</td>
                  <td>{n.recipients}</td>
                  <td>{n.acked}</td>
                  <td>{percent(n.recipients > 0 ? n.ackedOnTime / n.recipients : null)}</td>
                  <td>{hours(n.meanHoursToAck)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section data-testid="report-silent">
        <h2>{t('report.silent', { days: r.silent.days })}</h2>
        {r.silent.total === 0 ? (
          <p>{t('report.noSilent')}</p>
        ) : (
          <>
            <p>{t('report.silentTotal', { total: r.silent.total, shown: r.silent.cells.length })}</p>
            <table className="report-table">
              <thead>
                <tr>
                  <th>{t('report.grid')}</th>
                  <th>{t('report.silentVillage')}</th>
                  <th>{t('report.silentDays')}</th>
                </tr>
              </thead>
              <tbody>
                {r.silent.cells.map((c) => (
                  <tr key={c.code}>
                    <td>{c.name}</td>
                    <td>{c.villageName}</td>
                    <td>{c.daysSilent ?? t('report.silentNever')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </section>
    </main>
  )
}
