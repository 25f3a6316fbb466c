/**
 * 考核评价 (/evaluation?grid=&period=): the cells below a grid ranked by score (lowest first: the
 * ones pulling it down), each cell's change since the period before and the indicator it lost most
 * on; the lowest cells with their own lowest cells (drill from a town to the villages and groups);
 * the grid's score by month and the biggest movers; the indicator weights, which the commander edits
 * (the server validates, audits and applies them; leaders and analysts read them). A cell without
 * data has no score, shown as such, never as zero. Links to the printable report (/report).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useMe } from '../access/session.tsx'
import { queryKeys } from '../api/query-keys.ts'
import { ApiError } from '../api/rpc.ts'
import { AppHeader } from '../panels/app-header.tsx'
import { defaultPeriod, recentMonths } from '../report/report-api.ts'
import { defaultWeek, periodKind, periodLabel, periodTick, recentWeeks } from '../report/periods.ts'
import { editsEvaluationWeights } from '../routing/screen-paths.ts'
import {
  cellsCsvHref,
  evaluationHref,
  fetchCells,
  fetchTrend,
  fetchWeights,
  reportHref,
  saveWeights,
  type EvaluatedCell,
  type EvaluationTrend,
  type EvaluationWeights,
  type WeightKey,
  workersCsvHref,
} from './evaluation-api.ts'
import '../panels/screen-page.css'
import './evaluation.css'

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$|^\d{4}-W\d{2}$/

function addressState() {
  const q = new URLSearchParams(window.location.search)
  const period = q.get('period') ?? ''
  return { grid: q.get('grid'), period: PERIOD.test(period) ? period : defaultPeriod() }
}

const scoreText = (score: number | null, none: string) => (score === null ? none : score.toFixed(1))

/** Lowest score first, cells without a score last (they are not "worst", they have no data). */
function byScore(cells: EvaluatedCell[], worstFirst: boolean): EvaluatedCell[] {
  return [...cells].sort((a, b) => {
    if (a.score === null || b.score === null) return a.score === null ? (b.score === null ? a.code.localeCompare(b.code) : 1) : -1
    return worstFirst ? a.score - b.score : b.score - a.score
  })
}

/** The periods offered in the picker: the last 24 months or 26 ISO weeks, and the one shown if older. */
function periodOptions(period: string): string[] {
  const recent = periodKind(period) === 'week' ? recentWeeks(defaultWeek()) : recentMonths(defaultPeriod())
  return recent.includes(period) ? recent : [period, ...recent]
}

export default function EvaluationPage() {
  const { t, i18n } = useTranslation()
  const { grid, period } = useMemo(addressState, [])
  const kind = periodKind(period)
  const language = i18n.resolvedLanguage
  const cells = useQuery({ queryKey: queryKeys.evaluation.cells(grid, period, null), queryFn: () => fetchCells(grid, period, null) })
  const level = cells.data ? cells.data.grid.level : null
  const below = useQuery({
    queryKey: queryKeys.evaluation.cells(grid, period, level === null ? null : level + 2),
    queryFn: () => fetchCells(grid, period, level! + 2),
    enabled: level !== null && level <= 3,
  })
  const trend = useQuery({ queryKey: queryKeys.evaluation.trend(grid, period), queryFn: () => fetchTrend(grid, period) })
  const [worstFirst, setWorstFirst] = useState(true)

  useEffect(() => {
    document.title = t('evaluation.documentTitle')
  }, [t])

  const data = cells.data
  const gridCode = data?.grid.code ?? grid
  const previous = useMemo(() => {
    const points = trend.data?.months ?? []
    return new Map((points.at(-2)?.cells ?? []).map((c) => [c.code, c.score]))
  }, [trend.data])
  const error = cells.error ?? trend.error

  return (
    <div className="app screen-page evaluation-page">
      <AppHeader search={null} />
      <main className="screen-page__main" aria-labelledby="evaluation-title">
        <div className="screen-page__head">
          <div>
            <h2 id="evaluation-title" className="screen-page__title">
              {t('evaluation.title')}
            </h2>
            <p className="screen-page__subtitle">
              {t(kind === 'week' ? 'evaluation.subtitleWeeks' : 'evaluation.subtitle', {
                grid: data?.grid.fullName ?? '…',
                period: periodLabel(period, language),
              })}
            </p>
          </div>
          <span className="screen-page__spacer" />
          {/* Monthly or weekly (ISO weeks in China time): switching opens the last full one. */}
          <nav className="evaluation-kind" aria-label={t('evaluation.periodKind')} data-testid="evaluation-kind">
            <a href={evaluationHref(gridCode, defaultPeriod())} aria-current={kind === 'month' ? 'page' : undefined}>
              {t('evaluation.byMonth')}
            </a>
            <a href={evaluationHref(gridCode, defaultWeek())} aria-current={kind === 'week' ? 'page' : undefined}>
              {t('evaluation.byWeek')}
            </a>
          </nav>
          <form className="evaluation-period" method="get" action="/evaluation">
            {gridCode && <input type="hidden" name="grid" value={gridCode} />}
            <label>
              {t('evaluation.period')}
              {/* A list of periods written out in the page's language rather than the browser's
                  month or week input, which writes them in the browser's language. */}
              <select name="period" defaultValue={period} onChange={(e) => e.currentTarget.form?.requestSubmit()} data-testid="evaluation-period">
                {periodOptions(period).map((p) => (
                  <option key={p} value={p}>
                    {periodLabel(p, language)}
                  </option>
                ))}
              </select>
            </label>
          </form>
          {data?.grid.parentCode && data.grid.level > 1 && (
            <a className="button button--quiet" href={evaluationHref(data.grid.parentCode, period)}>
              {t('evaluation.up')}
            </a>
          )}
          <a className="button" href={reportHref(gridCode, period)} data-testid="evaluation-report-link">
            {kind === 'week' ? t('evaluation.printWeekReport') : t('evaluation.printReport')}
          </a>
        </div>

        {error && <p className="screen-page__status screen-page__status--error">{t('evaluation.error', { message: error.message })}</p>}
        {!data && !error && <p className="screen-page__status">{t('evaluation.loading')}</p>}

        {data && (
          <>
            <p className="evaluation-self" data-testid="evaluation-self">
              <span>{t('evaluation.self')}</span>{' '}
              <strong>
                {data.self.score === null
                  ? t('evaluation.selfNone')
                  : data.self.rank === null || data.self.peers === 0
                    ? t('evaluation.selfNotRanked', { score: data.self.score.toFixed(1) })
                    : t('evaluation.selfRanked', { score: data.self.score.toFixed(1), rank: data.self.rank, peers: data.self.peers })}
              </strong>
              {data.self.pulledDownBy && (
                <span className="evaluation-self__lost"> · {t('evaluation.lostMostOn', { indicator: t(`report.indicators.${data.self.pulledDownBy}`) })}</span>
              )}
            </p>
            <div className="evaluation-grid">
              <section className="evaluation-card evaluation-card--wide" aria-labelledby="evaluation-ranking">
                <div className="evaluation-card__head">
                  <h3 id="evaluation-ranking">{t('evaluation.ranking')}</h3>
                  <button type="button" className="button button--quiet" onClick={() => setWorstFirst((w) => !w)} aria-pressed={!worstFirst}>
                    {worstFirst ? t('evaluation.sortWorst') : t('evaluation.sortBest')}
                  </button>
                </div>
                <p className="screen-page__note">
                  {t('evaluation.rankingHint')}{' '}
                  <a href={cellsCsvHref(data.grid.code, period, data.level)} download data-testid="evaluation-csv">
                    {t('evaluation.csvCells')}
                  </a>{' '}
                  <a href={workersCsvHref(data.grid.code, period)} download data-testid="evaluation-workers-csv">
                    {t('evaluation.csvWorkers')}
                  </a>
                </p>
                <RankingTable cells={byScore(data.cells, worstFirst)} previous={previous} period={period} />
              </section>
              <section className="evaluation-card" aria-labelledby="evaluation-pulling">
                <h3 id="evaluation-pulling">{t('evaluation.pulling')}</h3>
                <PullingDown cells={data.cells} below={below.data?.cells ?? []} period={period} />
              </section>
              <section className="evaluation-card" aria-labelledby="evaluation-trend">
                <h3 id="evaluation-trend">{kind === 'week' ? t('evaluation.trendWeeks') : t('evaluation.trend')}</h3>
                <p className="screen-page__note">
                  {kind === 'week'
                    ? t('evaluation.trendHintWeeks', { weeks: trend.data?.months.length ?? 6 })
                    : t('evaluation.trendHint', { months: trend.data?.months.length ?? 6 })}
                </p>
                {trend.data && <TrendChart trend={trend.data} />}
                <h3>{t('evaluation.movers')}</h3>
                <p className="screen-page__note">{t('evaluation.moversHint')}</p>
                {trend.data && <Movers trend={trend.data} period={period} />}
              </section>
              <WeightsEditor />
            </div>
          </>
        )}
      </main>
    </div>
  )
}

function RankingTable({ cells, previous, period }: { cells: EvaluatedCell[]; previous: Map<string, number | null>; period: string }) {
  const { t } = useTranslation()
  const none = t('evaluation.noScore')
  return (
    <table className="screen-table evaluation-table" data-testid="evaluation-ranking">
      <thead>
        <tr>
          <th scope="col">{t('evaluation.rank')}</th>
          <th scope="col">{t('evaluation.grid')}</th>
          <th scope="col">{t('evaluation.score')}</th>
          <th scope="col">{t('evaluation.change')}</th>
          <th scope="col">{t('evaluation.reports')}</th>
          <th scope="col">{t('evaluation.pulledDownBy')}</th>
        </tr>
      </thead>
      <tbody>
        {cells.map((c) => {
          const before = previous.get(c.code)
          const change = c.score !== null && before !== null && before !== undefined ? c.score - before : null
          return (
            <tr key={c.code} data-code={c.code} data-score={c.score ?? 'none'}>
              <td>{c.rank ?? '—'}</td>
              <td>{c.level < 5 ? <a href={evaluationHref(c.code, period)}>{c.name}</a> : c.name}</td>
              <td className={c.score === null ? 'evaluation-none' : undefined}>
                <ScoreBar score={c.score} />
                {scoreText(c.score, none)}
              </td>
              <td className={change === null ? undefined : change < 0 ? 'evaluation-down' : 'evaluation-up'}>
                {change === null ? '—' : `${change >= 0 ? '+' : ''}${change.toFixed(1)}`}
              </td>
              <td>{c.counts.reports}</td>
              <td>{c.pulledDownBy ? t(`report.indicators.${c.pulledDownBy}`) : '—'}</td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}

function ScoreBar({ score }: { score: number | null }) {
  if (score === null) return null
  return <span className="evaluation-bar" style={{ width: `${Math.max(2, score) * 0.6}px` }} aria-hidden="true" />
}

/** The three lowest-scoring cells below, each with its own two lowest. */
function PullingDown({ cells, below, period }: { cells: EvaluatedCell[]; below: EvaluatedCell[]; period: string }) {
  const { t } = useTranslation()
  const worst = byScore(cells, true)
    .filter((c) => c.score !== null)
    .slice(0, 3)
  if (worst.length === 0) return <p className="screen-page__note">{t('evaluation.nothingPulling')}</p>
  return (
    <>
      <p className="screen-page__note">{t('evaluation.pullingHint', { count: worst.length })}</p>
      <ol className="evaluation-pulling" data-testid="evaluation-pulling">
        {worst.map((c) => {
          const children = byScore(
            below.filter((b) => b.parentCode === c.code && b.score !== null),
            true,
          ).slice(0, 2)
          return (
            <li key={c.code}>
              <a href={evaluationHref(c.code, period)}>{c.name}</a> <strong>{c.score!.toFixed(1)}</strong>
              {c.pulledDownBy && <span className="evaluation-self__lost"> · {t(`report.indicators.${c.pulledDownBy}`)}</span>}
              {children.length > 0 && (
                <ul>
                  {children.map((g) => (
                    <li key={g.code}>
                      {g.level < 5 ? <a href={evaluationHref(g.code, period)}>{g.name}</a> : g.name} <strong>{g.score!.toFixed(1)}</strong>
                      {g.pulledDownBy && <span className="evaluation-self__lost"> · {t(`report.indicators.${g.pulledDownBy}`)}</span>}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          )
        })}
      </ol>
    </>
  )
}

/** The grid's score by month as a line (SVG; gaps where a month has no score). */
function TrendChart({ trend }: { trend: EvaluationTrend }) {
  const { t } = useTranslation()
  const W = 360
  const H = 140
  const pad = 28
  const points = trend.months
  const x = (i: number) => pad + (i * (W - 2 * pad)) / Math.max(1, points.length - 1)
  const y = (s: number) => H - pad - (s / 100) * (H - 2 * pad)
  const segments: string[] = []
  let current = ''
  points.forEach((p, i) => {
    if (p.score === null) {
      if (current) segments.push(current)
      current = ''
    } else current += `${current ? 'L' : 'M'}${x(i).toFixed(1)},${y(p.score).toFixed(1)}`
  })
  if (current) segments.push(current)
  return (
    <svg className="evaluation-trend" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={t('evaluation.trend')} data-testid="evaluation-trend">
      {[0, 50, 100].map((v) => (
        <g key={v}>
          <line x1={pad} x2={W - pad} y1={y(v)} y2={y(v)} className="evaluation-trend__rule" />
          <text x={pad - 4} y={y(v) + 4} textAnchor="end">
            {v}
          </text>
        </g>
      ))}
      {segments.map((d) => (
        <path key={d} d={d} className="evaluation-trend__line" />
      ))}
      {points.map((p, i) => (
        <g key={p.period}>
          {p.score !== null && <circle cx={x(i)} cy={y(p.score)} r={3.5} className="evaluation-trend__dot" />}
          <text x={x(i)} y={H - 8} textAnchor="middle">
            {periodTick(p.period)}
          </text>
          {p.score === null && (
            <text x={x(i)} y={y(50)} textAnchor="middle" className="evaluation-trend__none">
              {t('evaluation.noScore')}
            </text>
          )}
        </g>
      ))}
    </svg>
  )
}

function Movers({ trend, period }: { trend: EvaluationTrend; period: string }) {
  const { t } = useTranslation()
  if (trend.movers.length === 0) return <p className="screen-page__note">{t('evaluation.noMovers')}</p>
  return (
    <ul className="evaluation-movers" data-testid="evaluation-movers">
      {trend.movers.slice(0, 6).map((m) => (
        <li key={m.code}>
          <a href={evaluationHref(m.code, period)}>{m.name}</a>
          <span>
            {m.previousScore.toFixed(1)} → {m.score.toFixed(1)}
          </span>
          <strong className={m.change < 0 ? 'evaluation-down' : 'evaluation-up'}>
            {m.change >= 0 ? '+' : ''}
            {m.change.toFixed(1)}
          </strong>
        </li>
      ))}
    </ul>
  )
}

function WeightsEditor() {
  const { t, i18n } = useTranslation()
  const me = useMe()
  const may = editsEvaluationWeights(me)
  const queryClient = useQueryClient()
  const weights = useQuery({ queryKey: queryKeys.evaluation.weights, queryFn: fetchWeights })
  const [draft, setDraft] = useState<Record<string, string> | null>(null)
  const [saved, setSaved] = useState(false)
  const save = useMutation({
    mutationFn: (next: Record<WeightKey, number>) => saveWeights(next),
    onSuccess: (answer) => {
      setDraft(null)
      setSaved(true)
      queryClient.setQueryData(queryKeys.evaluation.weights, answer)
      return queryClient.invalidateQueries({ queryKey: queryKeys.evaluation.all })
    },
  })
  const data: EvaluationWeights | undefined = weights.data
  if (!data) return null
  const values = draft ?? Object.fromEntries(Object.entries(data.weights).map(([k, v]) => [k, String(v)]))
  const problem = save.error instanceof ApiError ? save.error.problem : null
  const badKeys = new Set((problem?.invalidParams ?? []).map((p) => String(p.name).replace(/^weights\./, '')))
  const editable = may && data.editable
  const submit = (e: React.FormEvent) => {
    e.preventDefault()
    setSaved(false)
    save.mutate(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.trim() === '' ? Number.NaN : Number(v)])) as Record<WeightKey, number>)
  }
  return (
    <section className="evaluation-card evaluation-card--wide" aria-labelledby="evaluation-weights">
      <h3 id="evaluation-weights">{t('evaluation.weights')}</h3>
      <p className="screen-page__note">{editable ? t('evaluation.weightsHint') : t('evaluation.weightsReadOnly')}</p>
      <p className="screen-page__note" data-testid="evaluation-weights-by">
        {data.updatedBy && data.updatedAt
          ? t('evaluation.weightsBy', { who: data.updatedBy, at: new Date(data.updatedAt).toLocaleString(i18n.resolvedLanguage === 'en' ? 'en-GB' : 'zh-CN') })
          : t('evaluation.weightsFile')}
      </p>
      {saved && <p className="screen-page__status">{t('evaluation.saved')}</p>}
      {problem && <p className="screen-page__status screen-page__status--error">{problem.detail ?? problem.title}</p>}
      <form className="evaluation-weights" onSubmit={submit} noValidate>
        {data.indicators.map(({ key, better }) => (
          <label key={key}>
            <span>
              {t(`report.indicators.${key}`)} <small>{t(`evaluation.better.${better as 'higher' | 'lower'}`)}</small>
            </span>
            <input
              type="number"
              name={key}
              min={0}
              max={100}
              step="any"
              value={values[key] ?? ''}
              readOnly={!editable}
              aria-invalid={badKeys.has(key) || undefined}
              onChange={(e) => setDraft({ ...values, [key]: e.target.value })}
            />
          </label>
        ))}
        {editable && (
          <div className="screen-form__buttons">
            <button type="submit" className="button" disabled={save.isPending}>
              {t('evaluation.save')}
            </button>
            <button
              type="button"
              className="button button--quiet"
              onClick={() => setDraft(Object.fromEntries(Object.entries(data.defaults).map(([k, v]) => [k, String(v)])))}
            >
              {t('evaluation.reset')}
            </button>
          </div>
        )}
      </form>
    </section>
  )
}
