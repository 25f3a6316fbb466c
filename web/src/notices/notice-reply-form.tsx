/**
 * A clue from the field: what was seen, optionally a photo and the phone's position (asked for
 * only when the worker ticks the box). Photos are uploaded as they are picked, then referenced by id.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { replyToNotice } from './notices-api.ts'
import { NoticePhotoInput } from './notice-photo-input.tsx'

export function NoticeReplyForm({ noticeId, onDone, onCancel }: { noticeId: number; onDone(): void; onCancel(): void }) {
  const { t } = useTranslation()
  const [text, setText] = useState('')
  const [photos, setPhotos] = useState<number[]>([])
  const [uploading, setUploading] = useState(false)
  const [withLocation, setWithLocation] = useState(true)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const position = () =>
    new Promise<{ lon: number; lat: number } | undefined>((resolve) => {
      if (!withLocation || !navigator.geolocation) return resolve(undefined)
      navigator.geolocation.getCurrentPosition(
        (p) => resolve({ lon: p.coords.longitude, lat: p.coords.latitude }),
        () => resolve(undefined),
        { enableHighAccuracy: true, timeout: 10_000, maximumAge: 60_000 },
      )
    })

  const submit = async () => {
    setBusy(true)
    setError(null)
    try {
      await replyToNotice(noticeId, { kind: 'clue', text, location: await position(), ...(photos.length ? { attachments: photos } : {}) })
      onDone()
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      className="notice-reply"
      onSubmit={(e) => {
        e.preventDefault()
        void submit()
      }}
    >
      <label>
        {t('notices.inbox.clueText')}
        <textarea value={text} onChange={(e) => setText(e.target.value)} rows={3} maxLength={2000} />
      </label>
      <NoticePhotoInput photos={photos} onChange={setPhotos} onError={setError} onBusy={setUploading} />
      <label className="notice-check">
        <input type="checkbox" checked={withLocation} onChange={(e) => setWithLocation(e.target.checked)} />
        {t('notices.inbox.useLocation')}
      </label>
      {error && (
        <p className="notice-error" role="alert">
          {error}
        </p>
      )}
      <div className="notice-inbox__actions">
        <button type="submit" className="notice-button notice-button--primary" disabled={busy || uploading || (!text.trim() && !photos.length)}>
          {t('notices.inbox.submit')}
        </button>
        <button type="button" className="notice-button" onClick={onCancel}>
          {t('notices.form.cancel')}
        </button>
      </div>
    </form>
  )
}
