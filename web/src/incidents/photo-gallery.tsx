/**
 * The photos of a case in the incident drawer: thumbnails in a grid (loaded lazily, cached by the
 * browser for a year: the bytes behind an id never change), each a link to the full photo, with
 * who added it and when. The timeline says the same per photo; this is where they are seen.
 */
import { useTranslation } from 'react-i18next'
import type { IncidentDetail } from '../api/client.ts'
import { formatDateTime } from './incident-tooltip.ts'
import '../field-work/field-work.css'

export type Attachment = IncidentDetail['attachments'][number]

export function PhotoGallery({ attachments }: { attachments: Attachment[] }) {
  const { t, i18n } = useTranslation()
  if (attachments.length === 0) return <p className="cell-panel__note">{t('fieldWork.photosNone')}</p>
  return (
    <ul className="photo-gallery" data-testid="photo-gallery">
      {attachments.map((a, i) => {
        const when = formatDateTime(a.addedAt, i18n.resolvedLanguage)
        return (
          <li key={a.id} className="photo-gallery__item" data-attachment-id={a.id}>
            <a href={a.url} target="_blank" rel="noopener" title={t('fieldWork.photoOpen')}>
              <img
                src={a.thumbnailUrl}
                alt={t('fieldWork.photoAlt', { index: i + 1, who: a.addedBy, when })}
                loading="lazy"
                width={a.width >= a.height ? 160 : Math.round((160 * a.width) / a.height)}
                height={a.height >= a.width ? 160 : Math.round((160 * a.height) / a.width)}
              />
            </a>
            <span className="photo-gallery__caption">{t('fieldWork.photoAddedBy', { who: a.addedBy, when })}</span>
          </li>
        )
      })}
    </ul>
  )
}

/** The photo a timeline entry recorded, for a thumbnail beside it. */
export function photoOfEvent(attachments: Attachment[], eventId: number): Attachment | undefined {
  return attachments.find((a) => a.eventId === eventId)
}
