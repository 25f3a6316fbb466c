/**
 * The form an action opens in the incident drawer: every action takes a note (dismiss, return,
 * reopen and escalate must say why), dispatch chooses who handles the case (a person of the
 * handling cell or a department), and the irreversible ones (dismiss, close) ask for confirmation;
 * escalating a registered case says it will be dispatched again at the level above. The server
 * checks all of this again; its refusal (separation of duties, a changed case) is shown here.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { IncidentAction, IncidentStatus } from '../api/client.ts'
import { errorText } from '../api/rpc.ts'
import { DialogFooter } from './dialog-footer.tsx'
import { asGridLevel, LEVEL_GRID_KEYS } from '../i18n/levels.ts'
import { fetchCandidates, postCaseAction, type AssigneeChoice, type Candidate } from './case-api.ts'
import { queryKeys } from '../api/query-keys.ts'
import './case-loop.css'

export const NOTE_REQUIRED: readonly IncidentAction[] = ['dismiss', 'return', 'reopen', 'escalate']
const CONFIRM: Partial<Record<IncidentAction, 'confirmDismiss' | 'confirmClose'>> = { dismiss: 'confirmDismiss', close: 'confirmClose' }
const MIN_NOTE = 2

export interface ActionDialogProps {
  incident: { id: number; status: IncidentStatus; handlingLevel: number }
  action: IncidentAction
  onClose: () => void
  /** After the server took the action (before onClose). */
  onDone?: (action: IncidentAction) => void
}

const choiceKey = (c: Candidate) => `${c.kind}:${c.id}`

export function ActionDialog({ incident, action, onClose, onDone }: ActionDialogProps) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const [note, setNote] = useState('')
  const [choice, setChoice] = useState<string>('')
  const required = NOTE_REQUIRED.includes(action)
  const candidates = useQuery({
    queryKey: queryKeys.incidents.candidates(incident.id, incident.handlingLevel),
    queryFn: () => fetchCandidates(incident.id),
    enabled: action === 'dispatch',
  })
  const items = candidates.data?.items ?? []
  const chosen = items.find((c) => choiceKey(c) === choice) ?? (choice === '' ? items[0] : undefined)
  const submit = useMutation({
    mutationFn: () => {
      const assignee: AssigneeChoice | undefined =
        action !== 'dispatch' || !chosen ? undefined : chosen.kind === 'person' ? { person: chosen.id } : { department: chosen.id }
      return postCaseAction(incident.id, action, note.trim(), assignee)
    },
    onSuccess: () => {
      onDone?.(action)
      onClose()
    },
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.incidents.one(incident.id) }),
        queryClient.invalidateQueries({ queryKey: queryKeys.myCases }),
      ]),
  })
  const noteOk = !required || note.trim().length >= MIN_NOTE
  const onSubmit = (event: FormEvent) => {
    event.preventDefault()
    if (noteOk && !submit.isPending) submit.mutate()
  }
  const above = incident.handlingLevel > 1 ? t(LEVEL_GRID_KEYS[asGridLevel(incident.handlingLevel - 1)]) : ''
  const error = submit.error
  const people = items.filter((c) => c.kind === 'person')
  const departments = items.filter((c) => c.kind === 'department')

  return (
    <form className="action-dialog" role="dialog" aria-modal="false" aria-labelledby="action-dialog-title" data-action={action} onSubmit={onSubmit}>
      <h4 id="action-dialog-title" className="action-dialog__title">
        {t(`actions.${action}`)}
      </h4>
      {CONFIRM[action] && (
        <p className="action-dialog__warning" role="note">
          {t(`caseLoop.${CONFIRM[action]!}`)}
        </p>
      )}
      {action === 'escalate' && (
        <p className="action-dialog__warning" role="note">
          {t(incident.status === 'registered' ? 'caseLoop.escalateRegistered' : 'caseLoop.escalateOther', { level: above })}
        </p>
      )}
      {action === 'dispatch' && (
        <div className="action-dialog__field">
          <span id="action-dialog-assignee">{t('caseLoop.chooseAssignee')}</span>
          {candidates.isPending ? (
            <span className="cell-panel__note">{t('caseLoop.loadingCandidates')}</span>
          ) : items.length === 0 ? (
            <span className="cell-panel__note">{t('caseLoop.noCandidates')}</span>
          ) : (
            <select
              name="assignee"
              aria-labelledby="action-dialog-assignee"
              value={chosen ? choiceKey(chosen) : ''}
              onChange={(e) => setChoice(e.target.value)}
            >
              {people.length > 0 && (
                <optgroup label={t('caseLoop.people')}>
                  {people.map((c) => (
                    <option key={choiceKey(c)} value={choiceKey(c)}>
                      {[c.name, t(`caseLoop.actorRoles.${c.role as 'grid_worker'}`, c.role), c.cellName].filter(Boolean).join(' · ')}
                    </option>
                  ))}
                </optgroup>
              )}
              {departments.length > 0 && (
                <optgroup label={t('caseLoop.departments')}>
                  {departments.map((c) => (
                    <option key={choiceKey(c)} value={choiceKey(c)}>
                      {c.name}
                    </option>
                  ))}
                </optgroup>
              )}
            </select>
          )}
        </div>
      )}
      <label className="action-dialog__field">
        <span>{t(required ? 'caseLoop.noteRequired' : 'caseLoop.noteOptional')}</span>
        <textarea
          name="note"
          value={note}
          onChange={(e) => setNote(e.target.value)}
          rows={2}
          maxLength={1000}
          required={required}
          minLength={required ? MIN_NOTE : undefined}
          placeholder={t('caseLoop.notePlaceholder')}
        />
      </label>
      <DialogFooter
        error={errorText(error)}
        confirm={t('caseLoop.submit')}
        cancel={t('caseLoop.cancel')}
        disabled={!noteOk || submit.isPending}
        onCancel={onClose}
      />
    </form>
  )
}
