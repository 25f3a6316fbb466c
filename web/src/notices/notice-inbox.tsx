/**
 * A grid worker's notices, for the phone page (/m mounts <NoticeInbox />) and the desktop
 * notices page: the list, newest first, and one notice opened with its text, the missing
 * person's details while the search is on, 已收到, a clue (text, photo, the phone's location)
 * or 已排查未发现. Opening a notice marks it read on the server.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { NoticeBanner } from './notice-banner.tsx'
import { acknowledgeNotice, fetchInbox, fetchNotice, noticePhotoUrl, replyToNotice, URGENT_KINDS } from './notices-api.ts'
import { NoticeReplyForm } from './notice-reply-form.tsx'
import { formatTime } from './notice-format.ts'
import { NoticeHeader } from './notice-header.tsx'
import { queryKeys } from '../api/query-keys.ts'

export interface NoticeInboxProps {
  /** Show the live banner above the list (the phone page shows its own over every section). */
  banner?: boolean
  /** Show the list's own heading (the phone page's section already has one). */
  heading?: boolean
  /** The notice opened, when the page decides it (the phone page's banner opens one); else kept here. */
  open?: number | null
  onOpen?(id: number | null): void
}

export function NoticeInbox({ banner = true, heading = true, open: openProp, onOpen }: NoticeInboxProps) {
  const { t } = useTranslation()
  const [openHere, setOpenHere] = useState<number | null>(null)
  const open = openProp === undefined ? openHere : openProp
  const setOpen = (id: number | null) => (onOpen ? onOpen(id) : setOpenHere(id))
  const inbox = useQuery({ queryKey: queryKeys.notices.inbox, queryFn: ({ signal }) => fetchInbox(signal) })
  return (
    <section className="notice-inbox" aria-label={t('notices.inbox.title')}>
      {banner && <NoticeBanner onOpen={setOpen} />}
      {open !== null ? (
        <InboxNotice id={open} onBack={() => setOpen(null)} />
      ) : (
        <>
          {heading && <h2 className="notice-inbox__title">{t('notices.inbox.title')}</h2>}
          {inbox.data?.length === 0 && <p className="notice-muted">{t('notices.inbox.empty')}</p>}
          <ul className="notice-inbox__list">
            {inbox.data?.map((n) => {
              const urgent = URGENT_KINDS.includes(n.kind)
              return (
                <li key={n.id}>
                  <button
                    type="button"
                    className={`notice-inbox__item${n.status === 'closed' ? ' is-closed' : ''}${urgent ? ' is-urgent' : ''}`}
                    onClick={() => setOpen(n.id)}
                    data-notice={n.id}
                  >
                    <span className={urgent ? 'notice-chip notice-chip--urgent' : 'notice-chip'}>{t(`notices.kind.${n.kind}`)}</span>
                    <span className="notice-inbox__item-title">{n.title}</span>
                    <span className="notice-muted">
                      {formatTime(n.createdAt)} ·{' '}
                      {n.status === 'closed' ? t('notices.closed') : n.ackedAt ? t('notices.inbox.acked') : t('notices.detail.stateNone')}
                    </span>
                  </button>
                </li>
              )
            })}
          </ul>
        </>
      )}
    </section>
  )
}

function InboxNotice({ id, onBack }: { id: number; onBack(): void }) {
  const { t } = useTranslation()
  const queryClient = useQueryClient()
  const notice = useQuery({ queryKey: queryKeys.notices.mine(id), queryFn: ({ signal }) => fetchNotice(id, 5, signal) })
  const [replying, setReplying] = useState<'clue' | null>(null)
  const refresh = () => void queryClient.invalidateQueries({ queryKey: queryKeys.notices.all })
  const n = notice.data
  if (!n) return <p className="notice-muted">…</p>
  const closed = n.status === 'closed'
  return (
    <article className="notice-inbox__detail" data-notice={n.id}>
      <button type="button" className="notice-link" onClick={onBack}>
        ‹ {t('notices.inbox.back')}
      </button>
      <NoticeHeader notice={n} />
      {n.person && (
        <dl className="notice-person">
          <dt>{t('notices.detail.person')}</dt>
          {n.person.masked ? (
            <dd>
              {n.person.name} · {t('notices.detail.masked')}
            </dd>
          ) : (
            <>
              <dd>
                {n.person.name}
                {n.person.age !== null ? ` · ${t('notices.detail.ageValue', { age: n.person.age })}` : ''}
                {n.person.sex ? ` · ${t(`notices.form.${n.person.sex}`)}` : ''}
              </dd>
              {n.person.clothing && <dd>{n.person.clothing}</dd>}
              {n.person.lastSeenAt && (
                <dd>
                  {t('notices.form.lastSeenAt')} {formatTime(n.person.lastSeenAt)}
                </dd>
              )}
            </>
          )}
        </dl>
      )}
      {closed ? (
        <p className="notice-closed">
          {t('notices.detail.closedAs', { outcome: t(`notices.detail.${n.closeOutcome ?? 'cancelled'}`) })}
          {n.closeNote ? ` · ${n.closeNote}` : ''}
        </p>
      ) : (
        <div className="notice-inbox__actions">
          {n.mine?.ackedAt ? (
            <span className="notice-done">
              {t('notices.inbox.acked')} {formatTime(n.mine.ackedAt)}
            </span>
          ) : (
            <button type="button" className="notice-button notice-button--primary" onClick={() => void acknowledgeNotice(n.id).then(refresh)}>
              {t('notices.inbox.ack')}
            </button>
          )}
          {n.kind === 'missing-person' && (
            <>
              <button type="button" className="notice-button" onClick={() => setReplying('clue')}>
                {t('notices.inbox.clue')}
              </button>
              <button
                type="button"
                className="notice-button"
                disabled={n.mine?.searchedAt !== null && n.mine?.searchedAt !== undefined}
                onClick={() => void replyToNotice(n.id, { kind: 'not-found', text: '' }).then(refresh)}
              >
                {n.mine?.searchedAt ? `${t('notices.inbox.notFound')} ✓` : t('notices.inbox.notFound')}
              </button>
            </>
          )}
        </div>
      )}
      {replying && !closed && (
        <NoticeReplyForm
          noticeId={n.id}
          onDone={() => {
            setReplying(null)
            refresh()
          }}
          onCancel={() => setReplying(null)}
        />
      )}
      {n.clues.length > 0 && (
        <ul className="notice-clues">
          {n.clues.map((c) => (
            <li key={c.id}>
              <span className="notice-muted">{formatTime(c.at)}</span> {c.text}
              {c.attachments.map((a) => (
                <img key={a} className="notice-photo" src={noticePhotoUrl(a, 'thumb')} alt={t('notices.inbox.photo')} />
              ))}
            </li>
          ))}
        </ul>
      )}
    </article>
  )
}
