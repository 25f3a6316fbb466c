/**
 * Reporting from the field: kind of case (the worker's most used first, then the whole tree),
 * severity, title, description, where (the phone's position with its accuracy, a pin to drag,
 * the cell's centre when the position is refused), the people involved and up to nine photos.
 * Sending puts the report into the send queue with a fresh Idempotency-Key: it leaves at once
 * when there is network and waits as 待发送 when there is not; either way the form is free again.
 * Once a category and a place are known, open cases of the same kind within 50 m and 7 days are
 * shown before sending (the check needs the network): "the same case" queues the report to be
 * merged into that case, with its photos added to it, sent like any report (offline it waits as
 * 待发送); otherwise it goes as a new case.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { CategoryNode, GridFeature, GridFeatureCollection } from '../api/client.ts'
import type { CategoryIndex } from '../incidents/categories.ts'
import type { IncidentPoint } from '../incidents/open-incidents.ts'
import { CellMap } from './cell-map.tsx'
import { flattenCategories, pickFrequent, readUsage, recordUsage } from './category-order.ts'
import { checkParty, PartyFields, toApiParties, type PartyDraft } from './party-fields.tsx'
import { PhotoPicker } from './photo-picker.tsx'
import type { PreparedPhoto } from './prepare-photo.ts'
import { createIdempotencyKey, type QueueItem } from './queue-logic.ts'
import { useCurrentPosition } from './use-geolocation.ts'
import type { DuplicateCandidate } from '../incidents/case-api.ts'
import { DuplicateSuggestions, useDuplicateCandidates } from '../incidents/duplicate-suggestions.tsx'
import '../incidents/case-loop.css'

export interface ReportFormProps {
  user: string
  tree: readonly CategoryNode[] | undefined
  categories: CategoryIndex | undefined
  cell: GridFeature | undefined
  neighbours: GridFeatureCollection | undefined
  incidents: readonly IncidentPoint[]
  onQueue: (item: QueueItem) => Promise<void>
}

const SEVERITIES = [1, 2, 3, 4] as const

export function ReportForm({ user, tree, categories, cell, neighbours, incidents, onQueue }: ReportFormProps) {
  const { t, i18n } = useTranslation()
  const zh = i18n.resolvedLanguage !== 'en'
  const choices = useMemo(() => flattenCategories(tree ?? []), [tree])
  const [usage, setUsage] = useState(() => readUsage(user))
  const frequent = useMemo(() => pickFrequent(choices, usage), [choices, usage])

  const [category, setCategory] = useState('')
  const [severity, setSeverity] = useState<number | null>(null)
  const [title, setTitle] = useState('')
  const [description, setDescription] = useState('')
  const [parties, setParties] = useState<PartyDraft[]>([])
  const [photos, setPhotos] = useState<PreparedPhoto[]>([])
  const [dragged, setDragged] = useState<{ lon: number; lat: number } | null>(null)
  const [showErrors, setShowErrors] = useState(false)
  const [saved, setSaved] = useState<'online' | 'offline' | null>(null)
  const [saving, setSaving] = useState(false)
  const [addedTo, setAddedTo] = useState<number | null>(null)
  const [addedOffline, setAddedOffline] = useState<number | null>(null)

  const geo = useCurrentPosition()
  const centre = cell?.properties.labelPoint
  const located = geo.state === 'located' ? { lon: geo.lon, lat: geo.lat } : null
  const position = dragged ?? located ?? (centre ? { lon: centre[0], lat: centre[1] } : null)
  const chosen = choices.find((c) => c.code === category)
  const effectiveSeverity = severity ?? chosen?.defaultSeverity ?? 2

  useEffect(() => {
    if (!saved && addedTo === null) return
    const timer = setTimeout(() => (setSaved(null), setAddedTo(null), setAddedOffline(null)), 8000)
    return () => clearTimeout(timer)
  }, [saved, addedTo])

  const partyProblems = parties.some((p) => Object.keys(checkParty(p)).length > 0)
  const missing = !category || !title.trim() || !position
  const duplicates = useDuplicateCandidates(category, position)
  const hasDuplicates = (duplicates.data?.items.length ?? 0) > 0

  const reportBody = (at: { lon: number; lat: number }) => {
    const apiParties = toApiParties(parties)
    return {
      category,
      severity: effectiveSeverity,
      title: title.trim(),
      source: 'patrol' as const,
      occurredAt: new Date().toISOString(),
      location: { lon: Number(at.lon.toFixed(7)), lat: Number(at.lat.toFixed(7)) },
      ...(description.trim() ? { description: description.trim() } : {}),
      ...(apiParties.length ? { parties: apiParties } : {}),
    }
  }

  const clearForm = () => {
    recordUsage(user, category)
    setUsage(readUsage(user))
    setCategory('')
    setSeverity(null)
    setTitle('')
    setDescription('')
    setParties([])
    setPhotos([])
    setDragged(null)
    setShowErrors(false)
    // The confirmation sits at the top of the form: bring it into view.
    document.querySelector('.field-main')?.scrollTo({ top: 0 })
  }

  /** Queues the report (merged into `into` once stored, when it is the same case): sent at once online, kept as 待发送 offline. */
  const queueReport = async (into?: DuplicateCandidate) => {
    setShowErrors(true)
    if (missing || partyProblems || saving) return
    setSaving(true)
    const key = createIdempotencyKey()
    const item: QueueItem = {
      id: key,
      key,
      kind: 'report',
      createdAt: Date.now(),
      attempts: 0,
      nextAttemptAt: 0,
      body: reportBody(position),
      photos: photos.map((p) => ({ blob: p.blob, name: p.name })),
      ...(into ? { mergeInto: { id: into.id, note: t('cases.duplicates.addNote', { title: title.trim() }) } } : {}),
    }
    try {
      await onQueue(item)
      clearForm()
      const online = navigator.onLine
      // Online, a merge is named at once (the queue is sending it); offline it waits like any report.
      setAddedTo(into && online ? into.id : null)
      setSaved(into && online ? null : online ? 'online' : 'offline')
      setAddedOffline(into && !online ? into.id : null)
    } finally {
      setSaving(false)
    }
  }
  const submit = (event: FormEvent) => {
    event.preventDefault()
    void queueReport()
  }

  const name = (c: { nameZh: string; nameEn: string }) => (zh ? c.nameZh : c.nameEn)
  const locationText = dragged
    ? t('mobile.report.locationPinned')
    : geo.state === 'located'
      ? t('mobile.report.locationAccuracy', { meters: Math.round(geo.accuracy) })
      : geo.state === 'locating'
        ? t('mobile.report.locating')
        : t('mobile.report.locationCentre')

  return (
    <form className="field-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="field-report-title">
      <h2 id="field-report-title" className="field-section__title">
        {t('mobile.report.title')}
      </h2>
      {saved && (
        <p className="field-notice" role="status">
          {addedOffline !== null
            ? t('mobile.report.addedOffline', { id: addedOffline })
            : t(saved === 'online' ? 'mobile.report.savedOnline' : 'mobile.report.savedOffline')}
        </p>
      )}
      {addedTo !== null && (
        <p className="field-notice" role="status">
          {t('cases.report.added', { id: addedTo })}
        </p>
      )}

      <fieldset className="field-group">
        <legend className="field-label">{t('mobile.report.category')}</legend>
        {frequent.length > 0 && (
          <div className="field-chips" role="group" aria-label={t('mobile.report.frequent')}>
            {frequent.map((c) => (
              <button key={c.code} type="button" className="field-chip" aria-pressed={category === c.code} onClick={() => setCategory(c.code)}>
                <span className="field-chip__dot" style={{ background: c.color }} aria-hidden="true" />
                {name(c)}
              </button>
            ))}
          </div>
        )}
        <select
          className="field-select"
          value={category}
          onChange={(e) => setCategory(e.target.value)}
          aria-label={t('mobile.report.allCategories')}
          aria-invalid={showErrors && !category}
          name="category"
        >
          <option value="">{t('mobile.report.choose')}</option>
          {(tree ?? []).map((top) => (
            <optgroup key={top.code} label={name(top)}>
              {top.children.map((c) => (
                <option key={c.code} value={c.code}>
                  {name(c)}
                </option>
              ))}
            </optgroup>
          ))}
        </select>
        {showErrors && !category && <p className="field-error">{t('mobile.report.categoryRequired')}</p>}
      </fieldset>

      <fieldset className="field-group">
        <legend className="field-label">{t('mobile.report.severity')}</legend>
        <div className="field-segments">
          {SEVERITIES.map((s) => (
            <button
              key={s}
              type="button"
              className={`field-segment field-segment--s${s}`}
              aria-pressed={effectiveSeverity === s}
              onClick={() => setSeverity(s)}
            >
              {t(`severity.s${s}`)}
            </button>
          ))}
        </div>
      </fieldset>

      <label className="field-label">
        <span>{t('mobile.report.titleLabel')}</span>
        <input
          name="title"
          value={title}
          maxLength={200}
          onChange={(e) => setTitle(e.target.value)}
          aria-invalid={showErrors && !title.trim()}
          placeholder={t('mobile.report.titlePlaceholder')}
        />
      </label>
      {showErrors && !title.trim() && <p className="field-error">{t('mobile.report.titleRequired')}</p>}

      <label className="field-label">
        <span>{t('mobile.report.description')}</span>
        <textarea name="description" value={description} maxLength={4000} rows={3} onChange={(e) => setDescription(e.target.value)} />
      </label>

      <div className="field-group">
        <div className="field-label">{t('mobile.report.location')}</div>
        <CellMap
          cell={cell}
          neighbours={neighbours}
          incidents={incidents}
          categories={categories}
          pin={position ? { ...position, label: t('mobile.report.pin') } : undefined}
          onPinMove={setDragged}
          label={t('mobile.report.mapLabel')}
          attribution={t('map.attribution')}
        />
        <p className="field-hint" data-testid="location-status">
          {locationText}
        </p>
      </div>

      <div className="field-group">
        <div className="field-label">{t('mobile.report.parties')}</div>
        <PartyFields parties={parties} onChange={setParties} showErrors={showErrors} />
      </div>

      <div className="field-group">
        <div className="field-label">{t('mobile.report.photos')}</div>
        <PhotoPicker photos={photos} onChange={setPhotos} inputId="field-report-photos" />
      </div>

      <DuplicateSuggestions category={category} position={position} busy={saving} variant="phone" onSame={(c) => void queueReport(c)} />

      <button type="submit" className="field-button field-button--primary" disabled={saving}>
        {hasDuplicates ? t('cases.duplicates.asNew') : t('mobile.report.submit')}
      </button>
    </form>
  )
}
