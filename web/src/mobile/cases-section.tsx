/**
 * The cases this worker acts on: dispatched ones to start (开始处置) and ones being handled to
 * finish (办结) with a note and photos (required where the category asks for them). Actions go
 * through the send queue like reports, so they work without network; a case with an action
 * still waiting says so instead of offering the button twice.
 */
import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { fetchIncidents, type CategoryNode, type Incident } from '../api/client.ts'
import { queryKeys } from '../api/query-keys.ts'
import { categoryLabel, type CategoryIndex } from '../incidents/categories.ts'
import { formatDateTime } from '../incidents/incident-tooltip.ts'
import { PhotoPicker } from './photo-picker.tsx'
import type { PreparedPhoto } from './prepare-photo.ts'
import { createIdempotencyKey, type QueueItem } from './queue-logic.ts'

export interface CasesSectionProps {
  scope: string
  canWrite: boolean
  tree: readonly CategoryNode[] | undefined
  categories: CategoryIndex | undefined
  waiting: readonly QueueItem[]
  onQueue: (item: QueueItem) => Promise<void>
}

/** Whether finishing a case of this category needs a photo (the tree's flag, on the subcategory or its family). */
function needsPhoto(tree: readonly CategoryNode[] | undefined, code: string): boolean {
  for (const top of tree ?? []) {
    const flag = (node: unknown) => (node as { requiresPhotoOnFinish?: boolean }).requiresPhotoOnFinish === true
    if (top.code === code) return flag(top)
    const child = top.children.find((c) => c.code === code)
    if (child) return flag(child)
  }
  return false
}

export function CasesSection({ scope, canWrite, tree, categories, waiting, onQueue }: CasesSectionProps) {
  const { t } = useTranslation()
  const cases = useQuery({
    queryKey: queryKeys.incidents.fieldActionable(scope),
    queryFn: () => fetchIncidents({ grid: scope, status: ['dispatched', 'handling'], limit: 100 }),
  })
  const items = cases.data?.items ?? []
  return (
    <section className="field-section" aria-labelledby="field-cases-title">
      <h2 id="field-cases-title" className="field-section__title">
        {t('mobile.cases.title')}
      </h2>
      {cases.isError && (
        <p className="field-error" role="alert">
          {t('mobile.cases.failed')}
        </p>
      )}
      {cases.isPending && <p className="field-hint">{t('mobile.loading')}</p>}
      {cases.isSuccess && items.length === 0 && <p className="field-empty">{t('mobile.cases.empty')}</p>}
      <ul className="field-cases">
        {items.map((incident) => (
          <CaseCard
            key={incident.id}
            incident={incident}
            canWrite={canWrite}
            categories={categories}
            photoRequired={needsPhoto(tree, incident.category)}
            pending={waiting.some((item) => item.kind === 'action' && item.incidentId === incident.id)}
            onQueue={onQueue}
          />
        ))}
      </ul>
    </section>
  )
}

interface CaseCardProps {
  incident: Incident
  canWrite: boolean
  categories: CategoryIndex | undefined
  photoRequired: boolean
  pending: boolean
  onQueue: (item: QueueItem) => Promise<void>
}

function CaseCard({ incident, canWrite, categories, photoRequired, pending, onQueue }: CaseCardProps) {
  const { t, i18n } = useTranslation()
  const [finishing, setFinishing] = useState(false)
  const [note, setNote] = useState('')
  const [photos, setPhotos] = useState<PreparedPhoto[]>([])
  const [tried, setTried] = useState(false)
  const can = (action: 'start' | 'finish') => canWrite && !pending && incident.allowedActions.includes(action)
  const queue = async (action: 'start' | 'finish') => {
    const key = createIdempotencyKey()
    await onQueue({
      id: key,
      key,
      kind: 'action',
      incidentId: incident.id,
      action,
      createdAt: Date.now(),
      attempts: 0,
      nextAttemptAt: 0,
      ...(note.trim() ? { note: note.trim() } : {}),
      photos: action === 'finish' ? photos.map((p) => ({ blob: p.blob, name: p.name })) : [],
    })
    setFinishing(false)
  }
  const finish = () => {
    setTried(true)
    if (photoRequired && photos.length === 0) return
    void queue('finish')
  }
  return (
    <li className="field-case" data-incident-id={incident.id}>
      <div className="field-case__head">
        <span className={`status-badge status-badge--${incident.status}`}>{t(`status.${incident.status}`)}</span>
        {incident.overdue && <span className="overdue-badge">{t('incidents.overdueBadge')}</span>}
        {pending && <span className="field-badge">{t('mobile.queue.pendingBadge')}</span>}
      </div>
      <h3 className="field-case__title">{incident.title}</h3>
      <p className="field-case__meta">
        {categoryLabel(categories, incident.category, i18n.resolvedLanguage)} · {formatDateTime(incident.reportedAt, i18n.resolvedLanguage)}
      </p>
      <div className="field-case__actions">
        {can('start') && (
          <button type="button" className="field-button field-button--primary" onClick={() => void queue('start')}>
            {t('mobile.cases.start')}
          </button>
        )}
        {can('finish') && !finishing && (
          <button type="button" className="field-button field-button--primary" onClick={() => setFinishing(true)}>
            {t('mobile.cases.finish')}
          </button>
        )}
      </div>
      {finishing && can('finish') && (
        <div className="field-case__finish">
          <label className="field-label">
            <span>{t('mobile.cases.note')}</span>
            <textarea value={note} maxLength={1000} rows={3} onChange={(e) => setNote(e.target.value)} />
          </label>
          <div className="field-label">{photoRequired ? t('mobile.cases.photosRequired') : t('mobile.cases.photos')}</div>
          <PhotoPicker photos={photos} onChange={setPhotos} inputId={`field-finish-photos-${incident.id}`} />
          {tried && photoRequired && photos.length === 0 && (
            <p className="field-error" role="alert">
              {t('mobile.cases.photoMissing')}
            </p>
          )}
          <div className="field-case__actions">
            <button type="button" className="field-button field-button--primary" onClick={finish}>
              {t('mobile.cases.submitFinish')}
            </button>
            <button type="button" className="field-button field-button--quiet" onClick={() => setFinishing(false)}>
              {t('mobile.cancel')}
            </button>
          </div>
        </div>
      )}
    </li>
  )
}
