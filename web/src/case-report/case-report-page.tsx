/**
 * 事件上报 at the desk: a leader or the command centre takes a call, a visit or a department's
 * referral and reports it, clicking the map where it happened. Once a category and a place are
 * chosen, the open cases of the same kind within 50 m and 7 days are shown before sending
 * (DuplicateSuggestions): "the same case, add to it" stores the report and merges it into that
 * case at once; otherwise the report goes in as a new case. Each report carries one
 * Idempotency-Key, so a double click or a retry stores it once.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useEffect, useMemo, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { useMe } from '../access/session.tsx'
import { errorText } from '../api/rpc.ts'
import { queryKeys } from '../api/query-keys.ts'
import { useGridGeometry } from '../api/queries.ts'
import { addReportToCase, createReportKey, postIncident, type DuplicateCandidate, type NewIncidentBody } from '../incidents/case-api.ts'
import { DuplicateSuggestions, useDuplicateCandidates } from '../incidents/duplicate-suggestions.tsx'
import { useCategories } from '../incidents/use-incidents.ts'
import { bboxOfGeometry } from '../map/geometry.ts'
import { AppHeader } from '../panels/app-header.tsx'
import { actsOnCases } from '../routing/screen-paths.ts'
import { ReportMap } from './report-map.tsx'
import '../panels/screen-page.css'
import '../incidents/case-loop.css'
import './case-report.css'

const SEVERITIES = [1, 2, 3, 4] as const
const SOURCES = ['hotline', 'resident', 'referral', 'patrol'] as const

type Outcome = { kind: 'created' | 'added'; id: number }

export default function CaseReportPage() {
  const { t, i18n } = useTranslation()
  const zh = i18n.resolvedLanguage !== 'en'
  const me = useMe()
  const queryClient = useQueryClient()
  const tree = useCategories()
  const scope = useGridGeometry(me.scope)
  const camera = useMemo(() => (scope.data ? { key: me.scope, bounds: bboxOfGeometry(scope.data.geometry) } : undefined), [scope.data, me.scope])

  const [category, setCategory] = useState('')
  const [severity, setSeverity] = useState<number | null>(null)
  const [source, setSource] = useState<(typeof SOURCES)[number]>('hotline')
  const [title, setTitle] = useState('')
  const [description, setDescription] = useState('')
  const [partyName, setPartyName] = useState('')
  const [partyPhone, setPartyPhone] = useState('')
  const [position, setPosition] = useState<{ lon: number; lat: number } | null>(null)
  const [key, setKey] = useState(createReportKey)
  const [showMissing, setShowMissing] = useState(false)
  const [outcome, setOutcome] = useState<Outcome | null>(null)

  useEffect(() => {
    document.title = t('cases.report.documentTitle')
  }, [t])

  const chosen = tree.data?.flatMap((top) => top.children).find((c) => c.code === category)
  const effectiveSeverity = severity ?? chosen?.defaultSeverity ?? 2
  const missing = !category || !title.trim() || !position
  // The same query as the suggestions' (one request): with candidates, sending says "report as new".
  const duplicates = useDuplicateCandidates(category, position)
  const hasDuplicates = (duplicates.data?.items.length ?? 0) > 0

  const body = (): NewIncidentBody => ({
    category,
    severity: effectiveSeverity,
    title: title.trim(),
    source,
    occurredAt: new Date().toISOString(),
    location: { lon: Number(position!.lon.toFixed(7)), lat: Number(position!.lat.toFixed(7)) },
    ...(description.trim() ? { description: description.trim() } : {}),
    ...(partyName.trim() ? { parties: [{ name: partyName.trim(), ...(partyPhone.trim() ? { phone: partyPhone.trim() } : {}) }] } : {}),
  })

  const send = useMutation({
    mutationFn: async (into: DuplicateCandidate | null): Promise<Outcome> => {
      if (!into) return { kind: 'created', id: (await postIncident(body(), key)).id }
      const kept = await addReportToCase(body(), into.id, key, t('cases.duplicates.addNote', { title: title.trim() }))
      return { kind: 'added', id: kept.id }
    },
    onSuccess: (result) => {
      setOutcome(result)
      setKey(createReportKey())
      setTitle('')
      setDescription('')
      setPartyName('')
      setPartyPhone('')
      setPosition(null)
      setSeverity(null)
      setShowMissing(false)
      void queryClient.invalidateQueries({ queryKey: queryKeys.myCases })
      void queryClient.invalidateQueries({ queryKey: queryKeys.incidents.allDuplicates })
    },
  })

  const submit = (event: FormEvent) => {
    event.preventDefault()
    setShowMissing(true)
    if (!missing && !send.isPending) send.mutate(null)
  }
  const sendError = errorText(send.error)
  const name = (c: { nameZh: string; nameEn: string }) => (zh ? c.nameZh : c.nameEn)

  if (!actsOnCases(me)) {
    return (
      <div className="app screen-page">
        <AppHeader search={null} />
        <main className="screen-page__main">
          <p className="screen-page__note">{t('cases.mine.readOnly')}</p>
        </main>
      </div>
    )
  }

  return (
    <div className="app screen-page case-report-page">
      <AppHeader search={null} />
      <form className="case-report__form" onSubmit={submit} noValidate aria-labelledby="case-report-title">
        <h2 id="case-report-title" className="screen-page__title">
          {t('cases.report.title')}
        </h2>
        <p className="screen-page__subtitle">{t('cases.report.subtitle')}</p>
        {outcome && (
          <p className="screen-page__status" role="status">
            {t(outcome.kind === 'created' ? 'cases.report.created' : 'cases.report.added', { id: outcome.id })}{' '}
            <a href={`/incident/${outcome.id}`}>{t('cases.report.openCase')}</a>
          </p>
        )}
        <label className="case-report__field">
          <span>{t('cases.report.category')}</span>
          <select name="category" value={category} onChange={(e) => setCategory(e.target.value)} aria-invalid={showMissing && !category}>
            <option value="">{t('cases.report.choose')}</option>
            {(tree.data ?? []).map((top) => (
              <optgroup key={top.code} label={name(top)}>
                {top.children.map((c) => (
                  <option key={c.code} value={c.code}>
                    {name(c)}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        <div className="case-report__row">
          <label className="case-report__field">
            <span>{t('cases.report.severity')}</span>
            <select name="severity" value={effectiveSeverity} onChange={(e) => setSeverity(Number(e.target.value))}>
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {t(`severity.s${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="case-report__field">
            <span>{t('cases.report.source')}</span>
            <select name="source" value={source} onChange={(e) => setSource(e.target.value as (typeof SOURCES)[number])}>
              {SOURCES.map((s) => (
                <option key={s} value={s}>
                  {t(`sources.${s}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <label className="case-report__field">
          <span>{t('cases.report.titleLabel')}</span>
          <input
            name="title"
            value={title}
            maxLength={200}
            onChange={(e) => setTitle(e.target.value)}
            placeholder={t('cases.report.titlePlaceholder')}
            aria-invalid={showMissing && !title.trim()}
          />
        </label>
        <label className="case-report__field">
          <span>{t('cases.report.description')}</span>
          <textarea name="description" value={description} maxLength={4000} rows={3} onChange={(e) => setDescription(e.target.value)} />
        </label>
        <fieldset className="case-report__row case-report__parties">
          <legend>{t('cases.report.parties')}</legend>
          <label className="case-report__field">
            <span>{t('cases.report.partyName')}</span>
            <input name="partyName" value={partyName} maxLength={50} onChange={(e) => setPartyName(e.target.value)} autoComplete="off" />
          </label>
          <label className="case-report__field">
            <span>{t('cases.report.partyPhone')}</span>
            <input name="partyPhone" value={partyPhone} maxLength={20} inputMode="tel" onChange={(e) => setPartyPhone(e.target.value)} autoComplete="off" />
          </label>
        </fieldset>
        <div className="case-report__field">
          <span>{t('cases.report.location')}</span>
          <span className={`case-report__where${showMissing && !position ? ' case-report__where--missing' : ''}`} data-testid="report-location">
            {position ? t('cases.report.locationChosen', { lon: position.lon.toFixed(5), lat: position.lat.toFixed(5) }) : t('cases.report.locationHint')}
          </span>
        </div>

        <DuplicateSuggestions category={category} position={position} busy={send.isPending || missing} onSame={(c) => send.mutate(c)} />

        {showMissing && missing && <p className="screen-form__error">{t('cases.report.missing')}</p>}
        {sendError && (
          <p className="screen-page__status screen-page__status--error" role="alert">
            {sendError}
          </p>
        )}
        <button type="submit" className="button case-report__submit" disabled={send.isPending}>
          {send.isPending ? t('cases.report.sending') : hasDuplicates ? t('cases.duplicates.asNew') : t('cases.report.submit')}
        </button>
      </form>
      <ReportMap camera={camera} pin={position} onPick={setPosition} />
    </div>
  )
}
