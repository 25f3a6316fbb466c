/** 中文 / English segmented switch; the choice is remembered by the i18n module. */
import { useTranslation } from 'react-i18next'
import { LANGUAGES, type Language } from '../i18n/index.ts'

const LANGUAGE_LABEL_KEYS = { 'zh-CN': 'language.zhCN', en: 'language.en' } as const satisfies Record<Language, string>

export function LanguageSwitch() {
  const { t, i18n } = useTranslation()
  return (
    <div className="language-switch" role="group" aria-label={t('language.label')}>
      {LANGUAGES.map((language) => (
        <button
          key={language}
          type="button"
          lang={language}
          className="language-switch__option"
          aria-pressed={i18n.resolvedLanguage === language}
          onClick={() => void i18n.changeLanguage(language)}
        >
          {t(LANGUAGE_LABEL_KEYS[language])}
        </button>
      ))}
    </div>
  )
}
