/**
 * The parties of a case in the incident drawer: masked as the API sends them; a role with the
 * reveal permission may ask to see them unmasked, stating why (4–500 characters). The server
 * records the look (who, case, when, why) before answering; the unmasked names stay in this
 * component's state only, never in the query cache, and are gone when the drawer closes.
 */
import { useMutation } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { revealParties, type IncidentDetail, type RevealedParties } from '../api/client.ts'
import { useMe } from './session.tsx'

export const REASON_MIN = 4
export const REASON_MAX = 500

export function PartiesList({
  incidentId,
  parties,
  onRevealed,
}: {
  incidentId: number
  parties: IncidentDetail['parties']
  onRevealed?: (revealed: RevealedParties) => void
}) {
  const { t } = useTranslation()
  const me = useMe()
  const [asking, setAsking] = useState(false)
  const [reason, setReason] = useState('')
  const reveal = useMutation({ mutationFn: () => revealParties(incidentId, reason.trim()), onSuccess: (data) => onRevealed?.(data) })
  const shown = reveal.data?.incidentId === incidentId ? reveal.data.parties : parties
  const submit = (event: FormEvent) => {
    event.preventDefault()
    if (reason.trim().length >= REASON_MIN) reveal.mutate()
  }
  if (parties.length === 0) return <p className="cell-panel__note">{t('drawer.partiesNone')}</p>
  return (
    <>
      <ul className="people" data-revealed={reveal.isSuccess || undefined}>
        {shown.map((party, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a case's parties have no id and keep their order.
          <li key={i} className="people__item">
            <span className="people__name">{party.name}</span>
            <span className="people__phone">{party.phone ?? ''}</span>
            <span className="people__cell">{party.idNumber ?? ''}</span>
          </li>
        ))}
      </ul>
      {me.permissions.reveal &&
        !reveal.isSuccess &&
        (asking ? (
          <form className="reveal-form" onSubmit={submit}>
            <label className="reveal-form__field">
              <span>{t('reveal.reason')}</span>
              <textarea
                name="reason"
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                minLength={REASON_MIN}
                maxLength={REASON_MAX}
                rows={2}
                required
              />
            </label>
            <p className="cell-panel__note">{t('reveal.audited')}</p>
            <div className="reveal-form__buttons">
              <button type="submit" className="button reveal-form__confirm" disabled={reveal.isPending || reason.trim().length < REASON_MIN}>
                {t('reveal.confirm')}
              </button>
              <button type="button" className="button reveal-form__cancel" onClick={() => setAsking(false)}>
                {t('reveal.cancel')}
              </button>
            </div>
            {reveal.error && (
              <p className="incident-drawer__error" role="alert">
                {t('drawer.failed', { detail: reveal.error.message })}
              </p>
            )}
          </form>
        ) : (
          <button type="button" className="button reveal-button" data-testid="reveal-parties" onClick={() => setAsking(true)}>
            {t('reveal.button')}
          </button>
        ))}
      {reveal.isSuccess && (
        <p className="cell-panel__note" role="status">
          {t('reveal.shown')}
        </p>
      )}
    </>
  )
}
