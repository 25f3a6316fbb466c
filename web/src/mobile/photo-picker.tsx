/**
 * Photos for a report or a finished case: the camera input (several at once where the phone
 * allows), each photo scaled and stripped on the phone (prepare-photo.ts) before it is kept, up
 * to nine, shown as thumbnails that can be removed with a large ✕.
 */
import { useEffect, useMemo, useState, type ChangeEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { preparePhoto, type PreparedPhoto } from './prepare-photo.ts'

export const MAX_PHOTOS = 9

export interface PhotoPickerProps {
  photos: readonly PreparedPhoto[]
  onChange: (photos: PreparedPhoto[]) => void
  inputId: string
}

export function PhotoPicker({ photos, onChange, inputId }: PhotoPickerProps) {
  const { t } = useTranslation()
  const [preparing, setPreparing] = useState(0)
  const [error, setError] = useState<string | null>(null)
  const urls = useMemo(() => photos.map((p) => URL.createObjectURL(p.blob)), [photos])
  useEffect(() => () => urls.forEach((url) => URL.revokeObjectURL(url)), [urls])

  const onFiles = async (event: ChangeEvent<HTMLInputElement>) => {
    const files = [...(event.target.files ?? [])]
    event.target.value = ''
    const room = MAX_PHOTOS - photos.length
    setError(files.length > room ? t('mobile.photos.tooMany', { max: MAX_PHOTOS }) : null)
    const taken = files.slice(0, Math.max(0, room))
    setPreparing(taken.length)
    const prepared: PreparedPhoto[] = []
    for (const [i, file] of taken.entries()) {
      try {
        prepared.push(await preparePhoto(file, photos.length + i))
      } catch {
        setError(t('mobile.photos.unreadable', { name: file.name }))
      }
      setPreparing(taken.length - i - 1)
    }
    onChange([...photos, ...prepared])
  }

  return (
    <div className="field-photos">
      <ul className="field-photos__list" aria-label={t('mobile.photos.count', { count: photos.length, max: MAX_PHOTOS })}>
        {photos.map((photo, i) => (
          <li key={urls[i]} className="field-photos__item">
            <img src={urls[i]} alt={t('mobile.photos.alt', { n: i + 1 })} width={photo.width} height={photo.height} />
            <button
              type="button"
              className="field-photos__remove"
              aria-label={t('mobile.photos.remove', { n: i + 1 })}
              onClick={() => onChange(photos.filter((_, j) => j !== i))}
            >
              ✕
            </button>
          </li>
        ))}
        {photos.length < MAX_PHOTOS && (
          <li className="field-photos__item field-photos__item--add">
            <label htmlFor={inputId} className="field-photos__add">
              <span aria-hidden="true">＋</span>
              <span>{t('mobile.photos.take')}</span>
            </label>
            <input id={inputId} className="field-photos__input" type="file" accept="image/*" capture="environment" multiple onChange={(e) => void onFiles(e)} />
          </li>
        )}
      </ul>
      <p className="field-hint" aria-live="polite">
        {preparing > 0
          ? t('mobile.photos.preparing', { count: preparing })
          : photos.length === 0
            ? t('mobile.photos.none', { max: MAX_PHOTOS })
            : t('mobile.photos.count', { count: photos.length, max: MAX_PHOTOS })}
      </p>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}
