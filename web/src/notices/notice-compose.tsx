/**
 * Composing a notice: kind, title, text, priority, the acknowledgement deadline (30 minutes by
 * default for the urgent kinds), the missing person's details, and the target (grids found by
 * search, or a point clicked on the map with a radius). The number of people it will reach is
 * asked of the server (the same rule the send uses) whenever the target changes, before sending.
 */
import { useQuery } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { SearchBox } from '../panels/search-box.tsx'
import { useDebouncedValue } from '../hooks/use-debounced-value.ts'
import { queryKeys } from '../api/query-keys.ts'
import { previewRecipients, sendNotice, URGENT_KINDS, type NewNotice, type NoticeKind, type NoticeTarget } from './notices-api.ts'
import { NoticePhotoInput } from './notice-photo-input.tsx'

export type PickMode = 'centre' | 'lastSeen' | null
export interface ComposeGeometry {
  centre: { lon: number; lat: number } | null
  radiusM: number
  lastSeen: { lon: number; lat: number } | null
  mode: 'grids' | 'radius'
}

export interface NoticeComposeProps {
  geometry: ComposeGeometry
  onGeometry(next: Partial<ComposeGeometry>): void
  picking: PickMode
  onPicking(mode: PickMode): void
  onSent(id: number): void
  onCancel(): void
}

const KINDS: NoticeKind[] = ['missing-person', 'urgent', 'work', 'publicity']

export function NoticeCompose({ geometry, onGeometry, picking, onPicking, onSent, onCancel }: NoticeComposeProps) {
  const { t } = useTranslation()
  const [kind, setKind] = useState<NoticeKind>('missing-person')
  const [title, setTitle] = useState('')
  const [body, setBody] = useState('')
  const [deadline, setDeadline] = useState('')
  const [grids, setGrids] = useState<{ code: string; name: string }[]>([])
  const [person, setPerson] = useState({ name: '', age: '', sex: '' as '' | 'male' | 'female', clothing: '', lastSeenAt: '' })
  const [photos, setPhotos] = useState<number[]>([])
  const [uploading, setUploading] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [key] = useState(() => `notice-${crypto.randomUUID()}`)

  const target: NoticeTarget | null =
    geometry.mode === 'grids'
      ? grids.length
        ? { grids: grids.map((g) => g.code) }
        : null
      : geometry.centre
        ? { point: geometry.centre, radiusM: geometry.radiusM }
        : null
  // Debounced as text: the target object is new on every render.
  const targetKey = useDebouncedValue(target ? JSON.stringify(target) : '', 250)
  const count = useQuery({
    queryKey: queryKeys.notices.preview(targetKey),
    queryFn: ({ signal }) => previewRecipients(JSON.parse(targetKey) as NoticeTarget, signal),
    enabled: targetKey !== '',
  })
  const urgent = URGENT_KINDS.includes(kind)
  const ready = target !== null && title.trim() !== '' && (kind !== 'missing-person' || person.name.trim() !== '')

  const notice = useMemo((): NewNotice | null => {
    if (!target) return null
    return {
      kind,
      title: title.trim(),
      body,
      target,
      ...(photos.length ? { attachments: photos } : {}),
      ...(deadline ? { ackDeadlineMinutes: Number(deadline) } : {}),
      ...(kind === 'missing-person'
        ? {
            person: {
              name: person.name.trim(),
              ...(person.age ? { age: Number(person.age) } : {}),
              ...(person.sex ? { sex: person.sex } : {}),
              ...(person.clothing ? { clothing: person.clothing } : {}),
              ...(person.lastSeenAt ? { lastSeenAt: new Date(person.lastSeenAt).toISOString() } : {}),
              ...(geometry.lastSeen ? { lastSeen: geometry.lastSeen } : {}),
            },
          }
        : {}),
    }
  }, [kind, title, body, target, deadline, person, geometry.lastSeen, photos])

  const send = async () => {
    if (!notice) return
    setBusy(true)
    setError(null)
    try {
      onSent((await sendNotice(notice, key)).id)
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form
      className="notice-compose"
      onSubmit={(e) => {
        e.preventDefault()
        void send()
      }}
      aria-label={t('notices.compose')}
    >
      <h2>{t('notices.compose')}</h2>
      <div className="notice-kinds" role="radiogroup" aria-label={t('notices.form.kind')}>
        {KINDS.map((k) => (
          <label key={k} className={`notice-kind${kind === k ? ' is-selected' : ''}`}>
            <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
            {t(`notices.kind.${k}`)}
          </label>
        ))}
      </div>
      <label>
        {t('notices.form.title')}
        <input name="title" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} required />
      </label>
      <label>
        {t('notices.form.body')}
        <textarea name="body" value={body} maxLength={4000} rows={3} onChange={(e) => setBody(e.target.value)} />
      </label>
      <NoticePhotoInput photos={photos} onChange={setPhotos} onError={setError} onBusy={setUploading} />
      <label>
        {t('notices.form.deadline')}
        <input
          name="deadline"
          type="number"
          min={1}
          max={10080}
          placeholder={urgent ? '30' : '1440'}
          value={deadline}
          onChange={(e) => setDeadline(e.target.value)}
        />
      </label>
      {kind === 'missing-person' && (
        <fieldset className="notice-person-fields">
          <legend>{t('notices.form.person')}</legend>
          <label>
            {t('notices.form.name')}
            <input name="person-name" value={person.name} maxLength={50} onChange={(e) => setPerson({ ...person, name: e.target.value })} />
          </label>
          <div className="notice-row">
            <label>
              {t('notices.form.age')}
              <input name="person-age" type="number" min={0} max={130} value={person.age} onChange={(e) => setPerson({ ...person, age: e.target.value })} />
            </label>
            <label>
              {t('notices.form.sex')}
              <select name="person-sex" value={person.sex} onChange={(e) => setPerson({ ...person, sex: e.target.value as '' | 'male' | 'female' })}>
                <option value="">—</option>
                <option value="male">{t('notices.form.male')}</option>
                <option value="female">{t('notices.form.female')}</option>
              </select>
            </label>
          </div>
          <label>
            {t('notices.form.clothing')}
            <input name="person-clothing" value={person.clothing} maxLength={500} onChange={(e) => setPerson({ ...person, clothing: e.target.value })} />
          </label>
          <label>
            {t('notices.form.lastSeenAt')}
            <input
              name="person-last-seen-at"
              type="datetime-local"
              value={person.lastSeenAt}
              onChange={(e) => setPerson({ ...person, lastSeenAt: e.target.value })}
            />
          </label>
          <button
            type="button"
            className={`notice-button${picking === 'lastSeen' ? ' is-active' : ''}`}
            onClick={() => onPicking(picking === 'lastSeen' ? null : 'lastSeen')}
          >
            {geometry.lastSeen
              ? t('notices.form.pointSet', { lon: geometry.lastSeen.lon.toFixed(4), lat: geometry.lastSeen.lat.toFixed(4) })
              : t('notices.form.pickLastSeen')}
          </button>
        </fieldset>
      )}
      <fieldset className="notice-target">
        <legend>{t('notices.form.target')}</legend>
        <div className="notice-kinds">
          {(['grids', 'radius'] as const).map((m) => (
            <label key={m} className={`notice-kind${geometry.mode === m ? ' is-selected' : ''}`}>
              <input type="radio" name="target-mode" value={m} checked={geometry.mode === m} onChange={() => onGeometry({ mode: m })} />
              {t(m === 'grids' ? 'notices.form.byGrids' : 'notices.form.byRadius')}
            </label>
          ))}
        </div>
        {geometry.mode === 'grids' ? (
          <>
            <div className="notice-search" role="group" aria-label={t('notices.form.addGrid')}>
              <SearchBox onSelect={(r) => setGrids((list) => (list.some((g) => g.code === r.code) ? list : [...list, { code: r.code, name: r.name }]))} />
            </div>
            <ul className="notice-grids">
              {grids.map((g) => (
                <li key={g.code} data-code={g.code}>
                  {g.name}
                  <button type="button" aria-label={t('notices.form.remove')} onClick={() => setGrids((list) => list.filter((x) => x.code !== g.code))}>
                    ×
                  </button>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <>
            <button
              type="button"
              className={`notice-button${picking === 'centre' ? ' is-active' : ''}`}
              onClick={() => onPicking(picking === 'centre' ? null : 'centre')}
            >
              {geometry.centre
                ? t('notices.form.pointSet', { lon: geometry.centre.lon.toFixed(4), lat: geometry.centre.lat.toFixed(4) })
                : t('notices.form.pickPoint')}
            </button>
            <label>
              {t('notices.form.radius')}
              <input
                name="radius"
                type="number"
                min={1}
                max={100000}
                value={geometry.radiusM}
                onChange={(e) => onGeometry({ radiusM: Math.max(1, Number(e.target.value) || 1) })}
              />
            </label>
          </>
        )}
      </fieldset>
      <p className="notice-recipients" aria-live="polite" data-recipients={count.data ?? ''}>
        {target === null ? '' : count.data === undefined || count.isFetching ? t('notices.form.counting') : t('notices.form.recipients', { count: count.data })}
      </p>
      {error && (
        <p className="notice-error" role="alert">
          {error}
        </p>
      )}
      <div className="notice-inbox__actions">
        <button type="submit" className="notice-button notice-button--primary" disabled={!ready || busy || uploading}>
          {busy ? t('notices.form.sending') : t('notices.form.send')}
        </button>
        <button type="button" className="notice-button" onClick={onCancel}>
          {t('notices.form.cancel')}
        </button>
      </div>
    </form>
  )
}
