/**
 * 基础数据导入 (/import/base-data): the commander brings in a county's households, people, grid
 * workers and party organisations. Pick the kind, download its template, upload the filled file:
 * the server checks every row (the page shows each stage as it passes) and answers either what
 * the import would add and change (then 导入 applies it in one transaction) or the rows to fix,
 * shown here and downloadable as a spreadsheet to correct and upload again. Nothing is written
 * while any row has a problem.
 */
import { useMutation } from '@tanstack/react-query'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useMe } from '../access/session.tsx'
import { errorText } from '../api/rpc.ts'
import { ScreenPage, ScreenStatus } from '../panels/screen-page.tsx'
import { importsBaseData } from '../routing/screen-paths.ts'
import { type BaseDataKind, type CheckOutcome, fetchReport, KINDS, type ProgressStep, sendFile, templateHref } from './base-data-import-api.ts'
import './base-data-import.css'

/** Problems listed on the page; the report has all of them. */
const SHOWN_PROBLEMS = 200

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`
}

export default function BaseDataImportPage() {
  const { t } = useTranslation()
  const me = useMe()
  const [kind, setKind] = useState<BaseDataKind>('households')
  const [file, setFile] = useState<File | null>(null)
  const input = useRef<HTMLInputElement>(null)

  useEffect(() => {
    document.title = t('baseData.documentTitle')
  }, [t])

  /** The stage the server is in, as it streams them: a county's people take a while. */
  const [step, setStep] = useState<ProgressStep | null>(null)
  const send = (f: File, applyIt: boolean): Promise<CheckOutcome> => {
    setStep(null)
    return sendFile(kind, f, applyIt, setStep)
  }
  const check = useMutation({ mutationFn: (f: File) => send(f, false) })
  const apply = useMutation({ mutationFn: (f: File) => send(f, true) })
  const report = useMutation({
    mutationFn: (f: File) => fetchReport(kind, f),
    onSuccess: (blob) => {
      const url = URL.createObjectURL(blob)
      const a = document.createElement('a')
      a.href = url
      a.download = `gridscope-${kind}-report.xlsx`
      a.click()
      setTimeout(() => URL.revokeObjectURL(url), 60_000)
    },
  })

  const reset = () => {
    check.reset()
    apply.reset()
    report.reset()
    setFile(null)
    if (input.current) input.current.value = ''
  }
  const choose = (f: File | null) => {
    apply.reset()
    report.reset()
    setFile(f)
    if (f) check.mutate(f)
  }

  if (!importsBaseData(me))
    return (
      <ScreenPage className="base-data-page" titleId="base-data-title" title={t('baseData.title')} subtitle={t('baseData.subtitle')}>
        <p className="screen-page__note">{t('baseData.commanderOnly')}</p>
      </ScreenPage>
    )

  const outcome = apply.data ?? check.data
  /** Cells whose household and population figures the file changes (households and people). */
  const figures = outcome?.state === 'ready' ? outcome.result.cellFigures : 0
  const busy = check.isPending || apply.isPending
  const failure = errorText(check.error ?? apply.error ?? report.error)
  return (
    <ScreenPage className="base-data-page" titleId="base-data-title" title={t('baseData.title')} subtitle={t('baseData.subtitle')}>
      <section className="base-data-card" aria-labelledby="base-data-kind">
        <h3 id="base-data-kind">{t('baseData.kind')}</h3>
        <div className="base-data-kinds" role="radiogroup" aria-labelledby="base-data-kind">
          {KINDS.map((k) => (
            <label key={k} className="base-data-kind" data-selected={k === kind || undefined}>
              <input
                type="radio"
                name="kind"
                value={k}
                checked={k === kind}
                disabled={busy}
                onChange={() => {
                  setKind(k)
                  reset()
                }}
              />
              <span className="base-data-kind__name">{t(`baseData.kinds.${k}`)}</span>
              <span className="base-data-kind__hint">{t(`baseData.kindHints.${k}`)}</span>
            </label>
          ))}
        </div>
        <div className="base-data-actions">
          <a className="button button--quiet" href={templateHref(kind)} download>
            {t('baseData.template')}
          </a>
          <label className="button base-data-file">
            {t('baseData.file')}
            <input
              ref={input}
              type="file"
              accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
              disabled={busy}
              onChange={(e) => choose(e.target.files?.[0] ?? null)}
            />
          </label>
          {file && !busy && (
            <button type="button" className="button button--quiet" onClick={reset}>
              {t('baseData.again')}
            </button>
          )}
        </div>
      </section>

      {busy && file && (
        <div className="base-data-progress" role="status">
          <progress aria-label={t('baseData.title')} {...(step && step.total > 0 ? { value: step.done, max: step.total } : {})} />
          <span>
            {apply.isPending
              ? t('baseData.applying', { rows: check.data?.state === 'ready' ? check.data.result.rows : 0 })
              : t('baseData.checking', { name: file.name, size: sizeText(file.size) })}
          </span>
          {step && (
            <span className="base-data-progress__stage" data-testid="base-data-stage">
              {t(`baseData.stages.${step.stage}`, { done: step.done, total: step.total, defaultValue: step.stage })}
            </span>
          )}
        </div>
      )}
      {failure && <ScreenStatus text={t('baseData.error', { message: failure })} error />}

      {!busy && outcome?.state === 'ready' && (
        <section className="base-data-card" data-testid="base-data-ready">
          {outcome.result.applied ? (
            <>
              <ScreenStatus text={t('baseData.applied', outcome.result.counts)} />
              {figures > 0 && <p className="base-data-summary">{t('baseData.figuresApplied', { count: figures })}</p>}
            </>
          ) : outcome.result.counts.added + outcome.result.counts.changed + figures === 0 ? (
            <ScreenStatus text={t('baseData.nothingToDo', { rows: outcome.result.rows })} />
          ) : (
            <div className="base-data-actions">
              <p className="base-data-summary">
                {t('baseData.ready', { rows: outcome.result.rows, ...outcome.result.counts })}
                {figures > 0 && (
                  <>
                    <br />
                    {t('baseData.figures', { count: figures })}
                  </>
                )}
              </p>
              <button type="button" className="button" onClick={() => file && apply.mutate(file)}>
                {t('baseData.apply')}
              </button>
            </div>
          )}
        </section>
      )}

      {!busy && outcome?.state === 'problems' && (
        <section className="base-data-card" data-testid="base-data-problems">
          <div className="base-data-actions">
            <p className="base-data-summary base-data-summary--error" role="alert">
              {t('baseData.problems', { count: outcome.problems.length, rows: outcome.rows })}
            </p>
            <button type="button" className="button" disabled={report.isPending} onClick={() => file && report.mutate(file)}>
              {t('baseData.downloadReport')}
            </button>
          </div>
          {outcome.problems.length > SHOWN_PROBLEMS && <p className="screen-page__note">{t('baseData.problemsShown', { count: SHOWN_PROBLEMS })}</p>}
          <table className="screen-table base-data-problems">
            <thead>
              <tr>
                <th scope="col">{t('baseData.row')}</th>
                <th scope="col">{t('baseData.column')}</th>
                <th scope="col">{t('baseData.value')}</th>
                <th scope="col">{t('baseData.why')}</th>
              </tr>
            </thead>
            <tbody>
              {outcome.problems.slice(0, SHOWN_PROBLEMS).map((p) => (
                <tr key={`${p.row} ${p.column} ${p.kind}`} data-kind={p.kind}>
                  <td className="screen-table__mono">{p.row}</td>
                  <td>{p.column}</td>
                  <td className="screen-table__mono">{p.value}</td>
                  <td>{p.why}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </ScreenPage>
  )
}
