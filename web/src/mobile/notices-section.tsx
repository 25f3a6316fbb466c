/**
 * Notices to grid workers (broadcasts such as a missing resident) are delivered by the notices
 * feature; until it is part of the product this section says plainly that there are none.
 */
import { useTranslation } from 'react-i18next'

export function NoticesSection() {
  const { t } = useTranslation()
  return (
    <section className="field-section" aria-labelledby="field-notices-title">
      <h2 id="field-notices-title" className="field-section__title">
        {t('mobile.notices.title')}
      </h2>
      <p className="field-empty">{t('mobile.notices.empty')}</p>
    </section>
  )
}
