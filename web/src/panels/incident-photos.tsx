/**
 * A case's photos in the incident drawer: thumbnails in a grid, each opening the full photo in a
 * new tab (same origin, the case's scope applies), with who added it and when. The timeline shows
 * the same thumbnail on the entry that recorded the photo.
 */
import { useTranslation } from 'react-i18next'
import type { IncidentDetail } from '../api/client.ts'
import { formatDateTime } from '../incidents/incident-tooltip.ts'

export type IncidentPhoto = IncidentDetail extends { attachments: (infer A)[] } ? A : never

export function IncidentPhotos({ photos }: { photos: readonly IncidentPhoto[] }) {
  const { t, i18n } = useTranslation()
  if (photos.length === 0) return <p className="cell-panel__note">{t('drawer.photosNone')}</p>
  return (
    <ul className="incident-photos">
      {photos.map((photo, i) => <PhotoThumb key={photo.id} photo={photo} label={t('drawer.photoAlt', { n: i + 1, who: photo.addedBy, when: formatDateTime(photo.addedAt, i18n.resolvedLanguage) })} />)}
    </ul>
  )
}

export function PhotoThumb({ photo, label }: { photo: IncidentPhoto; label: string }) {
  return (
    <li className="incident-photos__item" data-attachment-id={photo.id}>
      <a href={photo.url} target="_blank" rel="noopener" title={label}>
        <img src={photo.thumbnailUrl} alt={label} />
      </a>
    </li>
  )
}
