/**
 * The head of one notice, the same wherever it is opened (the command centre's detail, a
 * recipient's inbox): its kind (urgent kinds marked), closed with its outcome, the title, who
 * sent it and when, the acknowledgement deadline, the text and the notice's own photos.
 */
import { useTranslation } from 'react-i18next'
import { formatTime } from './notice-format.ts'
import { noticePhotoUrl, URGENT_KINDS, type NoticeDetail } from './notices-api.ts'

export function NoticeHeader({ notice: n, className }: { notice: NoticeDetail; className?: string }) {
  const { t } = useTranslation()
  return (
    <header className={className}>
      <span className={`notice-chip${URGENT_KINDS.includes(n.kind) ? ' notice-chip--urgent' : ''}`}>{t(`notices.kind.${n.kind}`)}</span>
      {n.status === 'closed' && (
        <span className="notice-chip notice-chip--closed">
          {t('notices.detail.closedAs', { outcome: t(`notices.detail.${n.closeOutcome ?? 'cancelled'}`) })}
        </span>
      )}
      <h2>{n.title}</h2>
      <p className="notice-muted">
        {t('notices.detail.sender')} {n.senderName} · {t('notices.detail.sentAt')} {formatTime(n.createdAt)} · {t('notices.detail.deadline')}{' '}
        {formatTime(n.ackDeadline)}
      </p>
      {n.body && <p className="notice-body">{n.body}</p>}
      {n.attachments.length > 0 && (
        <div className="notice-photos">
          {n.attachments.map((a) => (
            <img key={a} className="notice-photo" src={noticePhotoUrl(a, 'thumb')} alt={t('notices.inbox.photo')} />
          ))}
        </div>
      )}
    </header>
  )
}
