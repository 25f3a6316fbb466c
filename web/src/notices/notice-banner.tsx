/**
 * The banner on every open page (the dashboard, the analyst view, the phone page): a notice that
 * reaches the signed-in viewer live (sent, a reminder, its closure) slides in at the top with its
 * kind and title, a sound for the urgent kinds, and for a grid worker the 已收到 button right
 * there. Every notice event also refreshes the notice queries of the page.
 */
import { useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useMe } from '../access/session.tsx'
import { playAlertBeep } from '../wall/alert-sound.ts'
import { acknowledgeNotice, URGENT_KINDS, type NoticeLiveEvent } from './notices-api.ts'
import { useNoticeLive } from './use-notice-live.ts'
import './notices.css'
import { queryKeys } from '../api/query-keys.ts'

const SHOWN = 3

export interface NoticeBannerProps {
  /** Where "open" leads (the phone page opens the notice in place). */
  onOpen?: (id: number) => void
  /** A page's own placement of the banners (the map page keeps them off its breadcrumb and panels). */
  className?: string
}

export function NoticeBanner({ onOpen, className }: NoticeBannerProps) {
  const { t } = useTranslation()
  const me = useMe()
  const queryClient = useQueryClient()
  const [shown, setShown] = useState<NoticeLiveEvent[]>([])
  const [acked, setAcked] = useState<Set<number>>(new Set())

  useNoticeLive(
    (event, name) => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.notices.all })
      if (name !== 'notice' || event.action === 'delivered') return
      setShown((list) => [event, ...list.filter((e) => e.noticeId !== event.noticeId)].slice(0, SHOWN))
      if (event.action !== 'closed' && URGENT_KINDS.includes(event.notice.kind)) playAlertBeep()
    },
    () => void queryClient.invalidateQueries({ queryKey: queryKeys.notices.all }),
  )

  if (!shown.length) return null
  const dismiss = (id: number) => setShown((list) => list.filter((e) => e.noticeId !== id))
  const ack = async (id: number) => {
    await acknowledgeNotice(id)
    setAcked((set) => new Set(set).add(id))
    void queryClient.invalidateQueries({ queryKey: queryKeys.notices.all })
  }
  return (
    <div className={className ? `notice-banners ${className}` : 'notice-banners'} role="region" aria-label={t('notices.listTitle')}>
      {shown.map((event) => {
        const urgent = URGENT_KINDS.includes(event.notice.kind)
        const label =
          event.action === 'closed' ? t('notices.banner.closed') : event.action === 'reminded' ? t('notices.banner.reminded') : t('notices.banner.new')
        return (
          <div
            key={event.noticeId}
            className={`notice-banner${urgent ? ' notice-banner--urgent' : ''}${event.action === 'closed' ? ' notice-banner--closed' : ''}`}
            role="alert"
            data-notice={event.noticeId}
          >
            <span className="notice-banner__kind">{t(`notices.kind.${event.notice.kind}`)}</span>
            <span className="notice-banner__label">{label}</span>
            <span className="notice-banner__title">{event.notice.title}</span>
            <span className="notice-banner__actions">
              {me.role === 'grid_worker' &&
                event.action !== 'closed' &&
                (acked.has(event.noticeId) ? (
                  <span className="notice-banner__done">{t('notices.inbox.acked')}</span>
                ) : (
                  <button type="button" className="notice-button notice-button--primary" onClick={() => void ack(event.noticeId)}>
                    {t('notices.inbox.ack')}
                  </button>
                ))}
              {onOpen ? (
                <button type="button" className="notice-button" onClick={() => onOpen(event.noticeId)}>
                  {t('notices.banner.open')}
                </button>
              ) : (
                <a className="notice-button" href={`/notices/${event.noticeId}`}>
                  {t('notices.banner.open')}
                </a>
              )}
              <button type="button" className="notice-banner__dismiss" aria-label={t('notices.banner.dismiss')} onClick={() => dismiss(event.noticeId)}>
                ×
              </button>
            </span>
          </div>
        )
      })}
    </div>
  )
}
