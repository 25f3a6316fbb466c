/**
 * 合并 in the case drawer: choose the other case (the possible duplicates the server suggests
 * first: same subcategory, 50 m, 7 days; or any case number), choose which of the two is kept
 * (the earlier report by default), say why, and confirm: the other is closed into the kept one,
 * whose timeline then shows both histories. The drawer then shows the kept case.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { fetchIncident } from '../api/client.ts'
import { queryKeys } from '../api/query-keys.ts'
import { errorText } from '../api/rpc.ts'
import { DialogFooter } from './dialog-footer.tsx'
import { postMerge } from './case-api.ts'
import { useDuplicateCandidates } from './duplicate-suggestions.tsx'
import { formatIsoDateTime } from './incident-tooltip.ts'
import './case-loop.css'

const MIN_NOTE = 2
const CASE_NUMBER = /^[1-9][0-9]{0,15}$/

export interface MergeDialogProps {
  incident: { id: number; category: string; location: { lon: number; lat: number }; reportedAt: string }
  onMerged: (keptId: number) => void
  onClose: () => void
}

export function MergeDialog({ incident, onMerged, onClose }: MergeDialogProps) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const suggestions = useDuplicateCandidates(incident.category, incident.location, incident.id)
  const [picked, setPicked] = useState<number | null>(null)
  const [typed, setTyped] = useState('')
  const [keep, setKeep] = useState<'this' | 'other' | null>(null)
  const [note, setNote] = useState('')
  const typedId = CASE_NUMBER.test(typed.trim()) ? Number(typed.trim()) : null
  const otherId = typedId ?? picked
  // The other case's report time (from the suggestions, or asked for a typed number) sets the default kept case.
  const suggested = suggestions.data?.items.find((c) => c.id === otherId)
  const typedCase = useQuery({
    queryKey: queryKeys.incidents.one(typedId ?? 0),
    queryFn: () => fetchIncident(typedId!),
    enabled: typedId !== null && typedId !== incident.id && !suggested,
    retry: false,
  })
  const otherReportedAt = suggested?.reportedAt ?? typedCase.data?.reportedAt
  const defaultKeep = otherReportedAt && Date.parse(otherReportedAt) < Date.parse(incident.reportedAt) ? 'other' : 'this'
  const kept = keep ?? defaultKeep
  const from = otherId === null ? null : kept === 'this' ? otherId : incident.id
  const into = otherId === null ? null : kept === 'this' ? incident.id : otherId

  const merge = useMutation({
    mutationFn: () => postMerge(from!, into!, note.trim()),
    onSuccess: (result) => onMerged(result.id),
    onSettled: () =>
      Promise.all(
        [incident.id, otherId ?? 0]
          .map((id) => queryClient.invalidateQueries({ queryKey: queryKeys.incidents.one(id) }))
          .concat(
            queryClient.invalidateQueries({ queryKey: queryKeys.myCases }),
            queryClient.invalidateQueries({ queryKey: queryKeys.incidents.allDuplicates }),
          ),
      ),
  })
  const ready = from !== null && into !== null && otherId !== incident.id && note.trim().length >= MIN_NOTE
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (ready && !merge.isPending) merge.mutate()
  }
  const items = suggestions.data?.items ?? []

  return (
    <form className="action-dialog merge-dialog" role="dialog" aria-modal="false" aria-labelledby="merge-dialog-title" onSubmit={submit}>
      <h4 id="merge-dialog-title" className="action-dialog__title">
        {t('cases.merge.title')}
      </h4>
      <p className="cell-panel__note">{t('cases.merge.lead')}</p>
      <div className="action-dialog__field">
        <span>{t('cases.merge.suggested')}</span>
        {suggestions.isPending ? (
          <span className="cell-panel__note">{t('cases.duplicates.checking')}</span>
        ) : items.length === 0 ? (
          <span className="cell-panel__note" data-testid="merge-none">
            {t('cases.merge.noneSuggested')}
          </span>
        ) : (
          <ul className="merge-dialog__choices">
            {items.map((c) => (
              <li key={c.id}>
                <label className="merge-dialog__choice">
                  <input
                    type="radio"
                    name="merge-other"
                    value={c.id}
                    checked={typedId === null && picked === c.id}
                    onChange={() => (setPicked(c.id), setTyped(''), setKeep(null))}
                  />
                  <span>
                    #{c.id} {c.title}
                    <small>
                      {t(`status.${c.status as 'reported'}`)} · {t('cases.duplicates.distance', { meters: c.distanceM })} · {formatIsoDateTime(c.reportedAt)}
                    </small>
                  </span>
                </label>
              </li>
            ))}
          </ul>
        )}
      </div>
      <label className="merge-dialog__other">
        <span>{t('cases.merge.otherId')}</span>
        <input
          name="merge-other-id"
          value={typed}
          inputMode="numeric"
          maxLength={16}
          placeholder={t('cases.merge.otherPlaceholder')}
          onChange={(e) => (setTyped(e.target.value), setKeep(null))}
        />
      </label>
      {otherId !== null && otherId !== incident.id && (
        <fieldset className="action-dialog__field merge-dialog__keep">
          <legend>{t('cases.merge.keep')}</legend>
          <label className="merge-dialog__choice">
            <input type="radio" name="merge-keep" checked={kept === 'this'} onChange={() => setKeep('this')} />
            {t('cases.merge.keepThis', { id: incident.id })}
          </label>
          <label className="merge-dialog__choice">
            <input type="radio" name="merge-keep" checked={kept === 'other'} onChange={() => setKeep('other')} />
            {t('cases.merge.keepOther', { id: otherId })}
          </label>
        </fieldset>
      )}
      {from !== null && into !== null && otherId !== incident.id ? (
        <p className="action-dialog__warning" role="note">
          {t('cases.merge.confirmText', { from, into })}
        </p>
      ) : (
        <p className="cell-panel__note">{t('cases.merge.pickFirst')}</p>
      )}
      <label className="action-dialog__field">
        <span>{t('cases.merge.note')}</span>
        <textarea
          name="merge-note"
          value={note}
          rows={2}
          maxLength={1000}
          onChange={(e) => setNote(e.target.value)}
          placeholder={t('cases.merge.notePlaceholder')}
        />
      </label>
      <DialogFooter
        error={errorText(merge.error)}
        confirm={t('cases.merge.confirm')}
        cancel={t('cases.merge.cancel')}
        disabled={!ready || merge.isPending}
        onCancel={onClose}
      />
    </form>
  )
}
