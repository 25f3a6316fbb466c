/**
 * A clue from the field: what was seen, optionally a photo and the phone's position (asked for
 * only when the worker ticks the box). The photo is uploaded first, then referenced by its id.
 */
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { replyToNotice, uploadNoticePhoto } from './notices-api.ts'

export function NoticeReplyForm({ noticeId, onDone, onCancel }: { noticeId: number; onDone(): void; onCancel(): void }) {
  const { t } = useTranslation()
  const [text, setText] = useState('')
  const [photo, setPhoto] = useState<File | null>(null)
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
      const attachments = photo ? [await uploadNoticePhoto(photo)] : undefined
      await replyToNotice(noticeId, { kind: 'clue', text, location: await position(), attachments })
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
      <label>
        {t('notices.inbox.photo')}
        <input type="file" accept="image/jpeg,image/png,image/webp" capture="environment" onChange={(e) => setPhoto(e.target.files?.[0] ?? null)} />
      </label>
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
        <button type="submit" className="notice-button notice-button--primary" disabled={busy || (!text.trim() && !photo)}>
          {t('notices.inbox.submit')}
        </button>
        <button type="button" className="notice-button" onClick={onCancel}>
          {t('notices.form.cancel')}
        </button>
      </div>
    </form>
  )
}
