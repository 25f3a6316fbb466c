/**
 * Adding or editing one department: names in Chinese and English, the area (a grid code, its
 * name shown once the server knows it), the duty contact and the categories it takes (a whole
 * category or single subcategories; none means every category).
 */
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type { CategoryNode } from '../api/client.ts'
import { useGridCell } from '../api/queries.ts'
import { useMe } from '../access/session.tsx'
import type { Department, DepartmentBody } from './departments-api.ts'
import { isGridCode } from '../grid/codes.ts'

export type DepartmentDraft = Required<Omit<DepartmentBody, 'active'>>

export interface DepartmentFormProps {
  initial?: Department
  categories: readonly CategoryNode[]
  busy: boolean
  error: string | null
  onSave: (draft: DepartmentDraft) => void
  onCancel: () => void
}

export function DepartmentForm({ initial, categories, busy, error, onSave, onCancel }: DepartmentFormProps) {
  const { t, i18n } = useTranslation()
  const zh = i18n.resolvedLanguage !== 'en'
  // A new department serves the commander's own area unless told otherwise.
  const me = useMe()
  const [draft, setDraft] = useState<DepartmentDraft>({
    nameZh: initial?.nameZh ?? '',
    nameEn: initial?.nameEn ?? '',
    scope: initial?.scope ?? me.scope,
    contactName: initial?.contactName ?? '',
    contactPhone: initial?.contactPhone ?? '',
    categories: initial?.categories ?? [],
  })
  const [tried, setTried] = useState(false)
  const scopeValid = isGridCode(draft.scope)
  const scopeCell = useGridCell(scopeValid ? draft.scope : undefined)
  const set = <K extends keyof DepartmentDraft>(key: K, value: DepartmentDraft[K]) => setDraft((d) => ({ ...d, [key]: value }))
  const toggle = (code: string) => set('categories', draft.categories.includes(code) ? draft.categories.filter((c) => c !== code) : [...draft.categories, code])
  const ok = draft.nameZh.trim() !== '' && scopeValid
  const submit = (event: FormEvent) => {
    event.preventDefault()
    setTried(true)
    if (ok && !busy) onSave({ ...draft, nameZh: draft.nameZh.trim(), nameEn: draft.nameEn.trim(), contactName: draft.contactName.trim() })
  }
  const name = (c: { nameZh: string; nameEn: string }) => (zh ? c.nameZh : c.nameEn)

  return (
    <form className="screen-form department-form" onSubmit={submit} noValidate aria-label={initial ? t('cases.departments.edit') : t('cases.departments.add')}>
      <label>
        <span>{t('cases.departments.nameZh')}</span>
        <input
          name="nameZh"
          value={draft.nameZh}
          maxLength={100}
          onChange={(e) => set('nameZh', e.target.value)}
          aria-invalid={tried && !draft.nameZh.trim()}
        />
      </label>
      <label>
        <span>{t('cases.departments.nameEn')}</span>
        <input name="nameEn" value={draft.nameEn} maxLength={100} onChange={(e) => set('nameEn', e.target.value)} />
      </label>
      <label>
        <span>{t('cases.departments.scope')}</span>
        <input
          name="scope"
          value={draft.scope}
          inputMode="numeric"
          maxLength={18}
          onChange={(e) => set('scope', e.target.value.trim())}
          aria-invalid={(tried || draft.scope.length >= 6) && (!scopeValid || scopeCell.isError)}
          aria-describedby="department-scope-hint"
        />
        <small id="department-scope-hint">
          {scopeCell.data
            ? scopeCell.data.name
            : scopeCell.isError
              ? t('cases.departments.scopeUnknown')
              : t('cases.departments.scopeHint', { scope: me.scope })}
        </small>
      </label>
      <label>
        <span>{t('cases.departments.contactName')}</span>
        <input name="contactName" value={draft.contactName} maxLength={50} onChange={(e) => set('contactName', e.target.value)} />
      </label>
      <label>
        <span>{t('cases.departments.contactPhone')}</span>
        <input name="contactPhone" value={draft.contactPhone} maxLength={20} inputMode="tel" onChange={(e) => set('contactPhone', e.target.value.trim())} />
      </label>
      <div className="screen-form__field screen-form__wide">
        <span>{t('cases.departments.categories')}</span>
        <div className="category-picks" role="group" aria-label={t('cases.departments.categories')}>
          {categories.map((top) => (
            <div key={top.code} className="category-picks__group">
              <label>
                <input type="checkbox" checked={draft.categories.includes(top.code)} onChange={() => toggle(top.code)} />
                {name(top)}
              </label>
              <div className="category-picks__items">
                {top.children.map((c) => (
                  <label key={c.code}>
                    <input
                      type="checkbox"
                      value={c.code}
                      checked={draft.categories.includes(c.code) || draft.categories.includes(top.code)}
                      disabled={draft.categories.includes(top.code)}
                      onChange={() => toggle(c.code)}
                    />
                    {name(c)}
                  </label>
                ))}
              </div>
            </div>
          ))}
        </div>
      </div>
      {error && (
        <p className="screen-form__error screen-form__wide" role="alert">
          {error}
        </p>
      )}
      <div className="screen-form__buttons screen-form__wide">
        <button type="submit" className="button" disabled={busy}>
          {t('cases.departments.save')}
        </button>
        <button type="button" className="button action-dialog__cancel" onClick={onCancel}>
          {t('cases.departments.cancel')}
        </button>
      </div>
    </form>
  )
}
