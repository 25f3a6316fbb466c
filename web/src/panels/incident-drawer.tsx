/**
 * One case, opened from the incident list or the map: what happened, where and when, the parties
 * (masked by the API), the timeline of the workflow (action, status and level before → after,
 * time, note) and a button for each action the server allows now. An action POSTs the transition
 * and refetches the case; when the server refuses (409, someone else moved it first) its reason
 * is shown and the buttons follow the refetched state.
 */
import { useTranslation } from 'react-i18next'
import type { IncidentAction, IncidentStatus } from '../api/client.ts'
import { categoryColor, categoryLabel, type CategoryIndex } from '../incidents/categories.ts'
import { formatDateTime, severityKey } from '../incidents/incident-tooltip.ts'
import { useIncident } from '../incidents/use-incidents.ts'
import { useState } from 'react'
import { ActionDialog } from '../incidents/action-dialog.tsx'
import { formatActor, formatAssignee } from '../incidents/actor-label.ts'
import type { RevealedParties } from '../api/client.ts'
import { asGridLevel, LEVEL_GRID_KEYS, LEVEL_NAME_KEYS } from '../i18n/levels.ts'
import { toCss } from '../map/palette.ts'
import { PartiesList } from '../access/reveal-parties.tsx'
import { useMe } from '../access/session.tsx'
import { PhotoGallery, photoOfEvent } from '../incidents/photo-gallery.tsx'
import { MergeDialog } from '../incidents/merge-dialog.tsx'

export interface IncidentDrawerProps {
  id: number
  categories: CategoryIndex | undefined
  onClose: () => void
  /** Shows another case in the drawer (the kept case after a merge); closes when absent. */
  onOpenCase?: (id: number) => void
}

const SOURCES = ['patrol', 'resident', 'hotline', 'referral'] as const
/** Actions that end or refuse a case: styled apart so they are not clicked by habit. */
const DESTRUCTIVE: readonly IncidentAction[] = ['dismiss', 'reopen', 'return']

export function IncidentDrawer({ id, categories, onClose, onOpenCase }: IncidentDrawerProps) {
  const { t, i18n } = useTranslation()
  const language = i18n.resolvedLanguage
  const incident = useIncident(id)
  const [pending, setPending] = useState<IncidentAction | null>(null)
  const [merging, setMerging] = useState<number | null>(null)
  const [revealed, setRevealed] = useState<RevealedParties | null>(null)
  const data = incident.data?.id === id ? incident.data : undefined
  const shownRevealed = revealed?.incidentId === id ? revealed : null
  const revealedNote = (eventId: number) => shownRevealed?.notes.find((n) => n.id === eventId)?.note
  // Read-only roles (analyst, wall) see the case but not its actions.
  const mayWrite = useMe().permissions.write
  const allowedActions = mayWrite ? (data?.allowedActions ?? []) : []
  // An open case that was not merged away can be merged with another (合并).
  const mayMerge = mayWrite && data !== undefined && data.mergedInto === null && data.status !== 'closed' && data.status !== 'dismissed'
  const levelName = (level: number | null) => (level === null ? '' : t(LEVEL_GRID_KEYS[asGridLevel(level)]))
  const statusName = (status: IncidentStatus | null) => (status === null ? '' : t(`status.${status}`))
  const actionName = (action: string) =>
    action === 'merge' || action === 'merge_in' ? t(`caseLoop.actionsExtra.${action}`) : t(`actions.${action as IncidentAction | 'report'}`, action)

  return (
    <aside className="panel incident-drawer" aria-labelledby="incident-drawer-title" aria-busy={incident.isFetching}>
      <div className="incident-drawer__header">
        <div className="panel__eyebrow">{t('drawer.eyebrow')}</div>
        <button type="button" className="incident-drawer__close" onClick={onClose} aria-label={t('drawer.close')} title={t('drawer.close')}>
          ×
        </button>
        {data ? (
          <>
            <h2 id="incident-drawer-title" className="incident-drawer__title">
              {data.title}
            </h2>
            <div className="incident-drawer__badges">
              <span className={`status-badge status-badge--${data.status}`} data-testid="incident-status">
                {t(`status.${data.status}`)}
              </span>
              <span className={`severity-badge severity-badge--${data.severity}`}>{t(severityKey(data.severity))}</span>
              {data.overdue && <span className="overdue-badge">{t('incidents.overdueBadge')}</span>}
            </div>
            <div className="incident-drawer__category">
              <span className="incident-row__dot" style={{ background: toCss(categoryColor(categories, data.category)) }} />
              {categoryLabel(categories, data.category, language)}
            </div>
          </>
        ) : (
          <h2 id="incident-drawer-title" className="incident-drawer__title">
            {incident.isError ? t('drawer.error') : t('drawer.loading')}
          </h2>
        )}
      </div>

      {data && (
        <div className="incident-drawer__body">
          {data.mergedInto !== null && (
            <p className="action-dialog__warning" role="note">
              {t('caseLoop.mergedInto', { id: data.mergedInto })}
            </p>
          )}
          {data.description && <p className="incident-drawer__description">{data.description}</p>}
          {shownRevealed && (
            <div className="revealed-text" data-testid="revealed-text" role="group" aria-label={t('caseLoop.revealedText')}>
              <div className="cell-panel__note">{t('caseLoop.revealedText')}</div>
              <div>{shownRevealed.title}</div>
              {shownRevealed.description && <div>{shownRevealed.description}</div>}
            </div>
          )}
          <dl className="facts">
            <Fact label={t('drawer.number')} value={`#${data.id}`} mono />
            <Fact
              label={t('drawer.source')}
              value={SOURCES.includes(data.source as (typeof SOURCES)[number]) ? t(`sources.${data.source as (typeof SOURCES)[number]}`) : data.source}
            />
            <Fact label={t('drawer.reporter')} value={data.reporter || t('incidents.none')} />
            <Fact label={t('drawer.occurredAt')} value={formatDateTime(data.occurredAt, language)} />
            <Fact label={t('incidents.reportedAt')} value={formatDateTime(data.reportedAt, language)} />
            <Fact label={t('drawer.dueAt')} value={formatDateTime(data.dueAt, language)} alert={data.overdue} />
            <Fact label={t('drawer.handlingLevel')} value={`${levelName(data.handlingLevel)} · ${t(LEVEL_NAME_KEYS[asGridLevel(data.handlingLevel)])}`} />
            <Fact label={t('drawer.grid')} value={data.gridCode} mono />
            <Fact label={t('caseLoop.assignee')} value={data.assignee ? formatAssignee(t, data.assignee, language) : t('caseLoop.assigneeNone')} />
          </dl>

          <section className="incident-drawer__section" aria-labelledby="incident-drawer-actions">
            <h3 id="incident-drawer-actions" className="section-title">
              {t('drawer.actions')}
            </h3>
            {allowedActions.length === 0 && !mayMerge ? (
              <p className="cell-panel__note">{t('drawer.actionsNone')}</p>
            ) : (
              <div className="action-buttons">
                {allowedActions.map((action) => (
                  <button
                    key={action}
                    type="button"
                    className={`button action-button${DESTRUCTIVE.includes(action) ? ' action-button--secondary' : ''}`}
                    data-action={action}
                    aria-pressed={pending === action}
                    onClick={() => (setMerging(null), setPending(action))}
                  >
                    {t(`actions.${action}`)}
                  </button>
                ))}
                {mayMerge && (
                  <button
                    type="button"
                    className="button action-button action-button--secondary"
                    data-action="merge"
                    aria-pressed={merging === data.id}
                    onClick={() => (setPending(null), setMerging(data.id))}
                  >
                    {t('cases.merge.button')}
                  </button>
                )}
              </div>
            )}
            {pending && allowedActions.includes(pending) && (
              <ActionDialog key={`${data.id}-${pending}`} incident={data} action={pending} onClose={() => setPending(null)} />
            )}
            {merging === data.id && mayMerge && (
              <MergeDialog
                key={data.id}
                incident={data}
                onClose={() => setMerging(null)}
                onMerged={(kept) => {
                  setMerging(null)
                  if (kept === data.id) return
                  if (onOpenCase) onOpenCase(kept)
                  else onClose()
                }}
              />
            )}
          </section>

          <section className="incident-drawer__section" aria-labelledby="incident-drawer-photos">
            <h3 id="incident-drawer-photos" className="section-title">
              {t('fieldWork.photos')}
            </h3>
            <PhotoGallery attachments={data.attachments} />
          </section>

          <section className="incident-drawer__section" aria-labelledby="incident-drawer-parties">
            <h3 id="incident-drawer-parties" className="section-title">
              {shownRevealed ? t('caseLoop.partiesRevealed') : t('drawer.parties')}
            </h3>
            <PartiesList key={data.id} incidentId={data.id} parties={data.parties} onRevealed={setRevealed} />
          </section>

          <section className="incident-drawer__section" aria-labelledby="incident-drawer-timeline">
            <h3 id="incident-drawer-timeline" className="section-title">
              {t('drawer.timeline')}
            </h3>
            <ol className="timeline">
              {[...data.timeline].reverse().map((event) => (
                <li key={event.id} className="timeline__item" data-action={event.action}>
                  <div className="timeline__head">
                    <span className="timeline__action">{actionName(event.action)}</span>
                    <time className="timeline__time" dateTime={event.at}>
                      {formatDateTime(event.at, language)}
                    </time>
                  </div>
                  <div className="timeline__change">
                    {event.fromStatus && event.fromStatus !== event.toStatus ? `${statusName(event.fromStatus)} → ` : ''}
                    {statusName(event.toStatus)}
                    {event.fromLevel !== event.toLevel && (
                      <span className="timeline__level">
                        {event.fromLevel === null
                          ? levelName(event.toLevel)
                          : t('drawer.levelChange', { from: levelName(event.fromLevel), to: levelName(event.toLevel) })}
                      </span>
                    )}
                  </div>
                  <div className="timeline__actor timeline__by">
                    {t('drawer.actor')}: {formatActor(t, event.by)}
                  </div>
                  {event.assignee && (
                    <div className="timeline__assignee">
                      {t('caseLoop.assignee')}: {formatAssignee(t, event.assignee, language)}
                    </div>
                  )}
                  {event.incidentId !== data.id && <div className="timeline__from">{t('caseLoop.fromCase', { id: event.incidentId })}</div>}
                  {event.action === 'merge_in' && event.relatedIncident !== null && (
                    <div className="timeline__from">{t('caseLoop.mergedFrom', { id: event.relatedIncident })}</div>
                  )}
                  {event.note && <div className="timeline__note">{revealedNote(event.id) ?? event.note}</div>}
                  {event.action === 'photo' && photoOfEvent(data.attachments, event.id) && (
                    <img className="timeline__photo" src={photoOfEvent(data.attachments, event.id)!.thumbnailUrl} alt="" loading="lazy" />
                  )}
                </li>
              ))}
            </ol>
          </section>
        </div>
      )}
    </aside>
  )
}

function Fact({ label, value, mono, alert }: { label: string; value: string; mono?: boolean; alert?: boolean }) {
  return (
    <div className="facts__item" data-alert={alert || undefined}>
      <dt>{label}</dt>
      <dd className={mono ? 'facts__mono' : undefined}>{value}</dd>
    </div>
  )
}
