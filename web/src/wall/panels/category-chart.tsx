/** Cases of the last 30 days by top-level category: one bar each, in the category's map colour. */
import { useTranslation } from 'react-i18next'
import type { WallSummary } from '../wall-api.ts'

export function CategoryChart({ categories }: { categories: WallSummary['categories'] | undefined }) {
  const { t, i18n } = useTranslation()
  const english = i18n.resolvedLanguage?.startsWith('en')
  const max = Math.max(1, ...(categories ?? []).map((c) => c.count))
  return (
    <section className="wall-panel wall-categories">
      <h2 className="wall-panel__title">{t('wall.categories')}</h2>
      <ol className="wall-bars">
        {(categories ?? []).slice(0, 8).map((c) => (
          <li key={c.code} className="wall-bar" data-category={c.code}>
            <span className="wall-bar__name">{english ? c.nameEn : c.nameZh}</span>
            <span className="wall-bar__track">
              <span className="wall-bar__fill" style={{ width: `${(c.count / max) * 100}%`, background: c.color }} />
            </span>
            <span className="wall-bar__value">{c.count.toLocaleString(i18n.resolvedLanguage)}</span>
          </li>
        ))}
      </ol>
    </section>
  )
}
