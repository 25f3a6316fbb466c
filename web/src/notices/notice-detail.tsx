/**
 * One notice as the command centre follows it: progress and response times, the cells' states
 * rolled up at a chosen level (drawn on the map by the page), the missing person, clues with their
 * photos and times, the live timeline, who has not acknowledged (with work phones, 再次提醒), the
 * outbound channels' state, and closing with an outcome and a note.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useMe } from '../access/session.tsx'
import { closeNotice, noticePhotoUrl, remindNotice, type CellState, type NoticeDetail } from './notices-api.ts'
import { formatSeconds, formatTime } from './notice-format.ts'
import { STATE_CSS } from './notice-layers.ts'
import { NoticeHeader } from './notice-header.tsx'

type ActionKey = 'sent' | 'reminded' | 'closed' | 'acknowledged' | 'clue' | 'not-found' | 'delivered'
const ACTIONS = new Set<string>(['sent', 'reminded', 'closed', 'acknowledged', 'clue', 'not-found', 'delivered'])
const STATES: CellState[] = ['none', 'acknowledged', 'searched', 'clue']
const STATE_KEY = { none: 'stateNone', acknowledged: 'stateAcknowledged', searched: 'stateSearched', clue: 'stateClue' } as const

export interface NoticeDetailViewProps {
  notice: NoticeDetail
  level: number
  onLevel(level: number): void
  onChanged(): void
}

export function NoticeDetailView({ notice: n, level, onLevel, onChanged }: NoticeDetailViewProps) {
  const { t } = useTranslation()
  const me = useMe()
  const [closing, setClosing] = useState(false)
  const [outcome, setOutcome] = useState<'found' | 'cancelled'>('found')
  const [note, setNote] = useState('')
  const [message, setMessage] = useState<string | null>(null)
  const sender = ['commander', 'town_leader', 'village_leader'].includes(me.role)
  const active = n.status === 'active'
  const share = n.progress.recipients ? n.progress.acknowledged / n.progress.recipients : 0
  const counts = Object.fromEntries(STATES.map((s) => [s, n.byCell.filter((c) => c.state === s).length])) as Record<CellState, number>
  // From one level below the widest targeted grid (a circle: household groups only) down to household groups.
  const widest = 'grids' in n.target ? Math.min(...n.target.grids.map((g) => (g.length - 3) / 3)) : 5
  const levels = ([2, 3, 4, 5] as const).filter((l) => l >= Math.min(5, widest + 1) || l === level)
  const seconds = (value: number | null) =>
    value === null ? t('notices.detail.notYet') : formatSeconds(value, (key, o) => t(key as 'notices.detail.seconds', o))

  const remind = async () => {
    const count = await remindNotice(n.id)
    setMessage(t('notices.detail.reminded', { count }))
    onChanged()
  }
  const close = async () => {
    await closeNotice(n.id, outcome, note.trim())
    setClosing(false)
    onChanged()
  }

  return (
    <article className="notice-detail" data-notice={n.id}>
      <NoticeHeader notice={n} className="notice-detail__head" />

      <section className="notice-progress" aria-label={t('notices.detail.acknowledged')}>
        <div className="notice-progress__label" data-acked={n.progress.acknowledged} data-total={n.progress.recipients}>
          {t('notices.detail.progress', { acked: n.progress.acknowledged.toLocaleString('zh-CN'), total: n.progress.recipients.toLocaleString('zh-CN') })}
        </div>
        <div className="notice-progress__bar">
          <span style={{ width: `${(share * 100).toFixed(1)}%` }} />
        </div>
        <dl className="notice-counts">
          {(['delivered', 'read', 'acknowledged', 'searched', 'clues'] as const).map((k) => (
            <div key={k}>
              <dt>{t(`notices.detail.${k}`)}</dt>
              <dd data-count={k}>{n.progress[k].toLocaleString('zh-CN')}</dd>
            </div>
          ))}
        </dl>
        <dl className="notice-counts notice-counts--figures" aria-label={t('notices.detail.figures')}>
          <div>
            <dt>{t('notices.detail.ack50')}</dt>
            <dd>{seconds(n.figures.ack50)}</dd>
          </div>
          <div>
            <dt>{t('notices.detail.ack90')}</dt>
            <dd>{seconds(n.figures.ack90)}</dd>
          </div>
          <div>
            <dt>{t('notices.detail.ack100')}</dt>
            <dd>{seconds(n.figures.ack100)}</dd>
          </div>
          <div>
            <dt>{t('notices.detail.searchedShare')}</dt>
            <dd>{(n.figures.searchedShare * 100).toFixed(1)}%</dd>
          </div>
        </dl>
      </section>

      <section className="notice-levels">
        <span className="notice-muted">{t('notices.detail.level')}</span>
        {levels.map((l) => (
          <button key={l} type="button" className={`notice-kind${l === level ? ' is-selected' : ''}`} onClick={() => onLevel(l)}>
            {t(`levels.name${l}`)}
          </button>
        ))}
        <ul className="notice-legend">
          {STATES.map((s) => (
            <li key={s}>
              <i style={{ background: STATE_CSS[s] }} />
              {t(`notices.detail.${STATE_KEY[s]}`)} {counts[s]}
            </li>
          ))}
        </ul>
      </section>

      {n.person && (
        <section className="notice-person">
          <h3>{t('notices.detail.person')}</h3>
          {n.person.masked ? (
            <p>
              {n.person.name} · {t('notices.detail.masked')}
            </p>
          ) : (
            <p>
              {n.person.name}
              {n.person.age !== null ? ` · ${t('notices.detail.ageValue', { age: n.person.age })}` : ''}
              {n.person.sex ? ` · ${t(`notices.form.${n.person.sex}`)}` : ''}
              {n.person.clothing ? ` · ${n.person.clothing}` : ''}
              {n.person.lastSeenAt ? ` · ${t('notices.form.lastSeenAt')} ${formatTime(n.person.lastSeenAt)}` : ''}
            </p>
          )}
        </section>
      )}

      <section>
        <h3>{t('notices.detail.cluesTitle')}</h3>
        {n.clues.length === 0 ? (
          <p className="notice-muted">{t('notices.detail.noClues')}</p>
        ) : (
          <ul className="notice-clues">
            {n.clues.map((c) => (
              <li key={c.id} data-clue={c.id}>
                <span className="notice-muted">
                  {formatTime(c.at)} · {c.cellName}
                </span>{' '}
                {c.text}
                {c.attachments.map((a) => (
                  <a key={a} href={noticePhotoUrl(a)} target="_blank" rel="noreferrer">
                    <img className="notice-photo" src={noticePhotoUrl(a, 'thumb')} alt={t('notices.inbox.photo')} />
                  </a>
                ))}
              </li>
            ))}
          </ul>
        )}
      </section>

      {n.pending && (
        <section className="notice-pending">
          <h3>
            {n.pastDeadline ? t('notices.detail.pendingAfterDeadline') : t('notices.detail.pending')} ({n.pending.length})
          </h3>
          {active && n.pending.length > 0 && (
            <button type="button" className="notice-button notice-button--primary" onClick={() => void remind()}>
              {t('notices.detail.remind')}
            </button>
          )}
          {message && (
            <p className="notice-muted" role="status">
              {message}
            </p>
          )}
          {n.pending.length === 0 ? (
            <p className="notice-muted">{t('notices.detail.nonePending')}</p>
          ) : (
            <ul className="notice-pending__list">
              {n.pending.slice(0, 200).map((p) => (
                <li key={p.personId}>
                  <span>{p.cellName}</span>
                  <span>{p.name}</span>
                  <a href={`tel:${p.phone}`}>{p.phone}</a>
                  {p.reminders > 0 && <span className="notice-muted">×{p.reminders}</span>}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      {n.outbound.length > 0 && (
        <section>
          <h3>{t('notices.detail.outbound')}</h3>
          <ul className="notice-outbound">
            {n.outbound.map((o) => (
              <li key={`${o.channel}-${o.action}-${o.updatedAt}`} className={`is-${o.status}`}>
                {ACTIONS.has(o.action) ? t(`notices.action.${o.action as ActionKey}`) : o.action} ·{' '}
                {o.status === 'failed'
                  ? t('notices.detail.outboundFailed', { channel: o.channel, error: o.lastError ?? '', attempts: o.attempts })
                  : o.status === 'sent'
                    ? t('notices.detail.outboundSent', { channel: o.channel })
                    : t('notices.detail.outboundPending', { channel: o.channel, attempts: o.attempts })}
              </li>
            ))}
          </ul>
        </section>
      )}

      <section>
        <h3>{t('notices.detail.timeline')}</h3>
        <ol className="notice-timeline">
          {n.timeline.map((e) => (
            <li key={`${e.at}-${e.action}-${e.cellCode ?? ''}-${e.note}`}>
              <time>{formatTime(e.at)}</time> {ACTIONS.has(e.action) ? t(`notices.action.${e.action as ActionKey}`) : e.action}
              {e.note ? ` · ${e.note}` : ''}
            </li>
          ))}
        </ol>
      </section>

      {sender && active && (
        <section className="notice-close">
          {closing ? (
            <form
              onSubmit={(e) => {
                e.preventDefault()
                void close()
              }}
            >
              <div className="notice-kinds">
                {(['found', 'cancelled'] as const).map((o) => (
                  <label key={o} className={`notice-kind${outcome === o ? ' is-selected' : ''}`}>
                    <input type="radio" name="outcome" value={o} checked={outcome === o} onChange={() => setOutcome(o)} />
                    {t(`notices.detail.${o}`)}
                  </label>
                ))}
              </div>
              <label>
                {t('notices.detail.note')}
                <textarea name="close-note" value={note} maxLength={1000} rows={2} onChange={(e) => setNote(e.target.value)} />
              </label>
              <button type="submit" className="notice-button notice-button--primary" disabled={!note.trim()}>
                {t('notices.detail.confirmClose')}
              </button>
            </form>
          ) : (
            <button type="button" className="notice-button" onClick={() => setClosing(true)}>
              {t('notices.detail.close')}
            </button>
          )}
        </section>
      )}
    </article>
  )
}
