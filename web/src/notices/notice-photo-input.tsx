/**
 * Photos for a notice or a clue: the file (or camera) input, each photo uploaded as soon as it is
 * picked (the server strips its location and keeps it for its uploader until the send or reply
 * that references its id), and the thumbnails of those uploaded so far.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { noticePhotoUrl, uploadNoticePhoto } from './notices-api.ts'

export interface NoticePhotoInputProps {
  photos: readonly number[]
  onChange(photos: number[]): void
  onError(message: string): void
  /** Tells the form a photo is still uploading (its submit waits). */
  onBusy?(busy: boolean): void
}

export function NoticePhotoInput({ photos, onChange, onError, onBusy }: NoticePhotoInputProps) {
  const { t } = useTranslation()
  const [uploading, setUploading] = useState(false)
  const add = async (file: File | undefined) => {
    if (!file) return
    setUploading(true)
    onBusy?.(true)
    try {
      onChange([...photos, await uploadNoticePhoto(file)])
    } catch (e) {
      onError(e instanceof Error ? e.message : String(e))
    } finally {
      setUploading(false)
      onBusy?.(false)
    }
  }
  return (
    <>
      <label>
        {t('notices.inbox.photo')}
        <input
          name="photo"
          type="file"
          accept="image/jpeg,image/png,image/webp"
          capture="environment"
          disabled={uploading}
          onChange={(e) => {
            void add(e.target.files?.[0])
            e.target.value = ''
          }}
        />
      </label>
      {photos.length > 0 && (
        <div className="notice-photos">
          {photos.map((id) => (
            <img key={id} className="notice-photo" src={noticePhotoUrl(id, 'thumb')} alt={t('notices.inbox.photo')} />
          ))}
        </div>
      )}
    </>
  )
}
