/**
 * i18next set-up: zh-CN first, English on request. Resources are bundled (no loading over the
 * network), so an instance is ready synchronously. The chosen language is remembered in
 * localStorage and mirrored to <html lang> and the document title.
 */
import i18next, { type i18n as I18n } from 'i18next'
import { en } from './en.ts'
import { zhCN } from './zh-CN.ts'

export const LANGUAGES = ['zh-CN', 'en'] as const
export type Language = (typeof LANGUAGES)[number]
export const DEFAULT_LANGUAGE: Language = 'zh-CN'

export const RESOURCES = {
  'zh-CN': { translation: zhCN },
  en: { translation: en },
} as const

const STORAGE_KEY = 'gridscope.language'

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation'
    resources: (typeof RESOURCES)['zh-CN']
  }
}

export function isLanguage(value: unknown): value is Language {
  return LANGUAGES.includes(value as Language)
}

/** A ready i18next instance in the given language (usable in the browser and in node tests). */
export function createI18n(language: Language = DEFAULT_LANGUAGE): I18n {
  const instance = i18next.createInstance()
  void instance.init({
    resources: RESOURCES,
    lng: language,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    initAsync: false,
    interpolation: { escapeValue: false }, // React escapes; strings never go to innerHTML
  })
  return instance
}

/** The remembered language, or zh-CN. */
export function readStoredLanguage(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): Language {
  try {
    const stored = storage?.getItem(STORAGE_KEY)
    return isLanguage(stored) ? stored : DEFAULT_LANGUAGE
  } catch {
    return DEFAULT_LANGUAGE // storage can be disabled (privacy mode); the default is fine
  }
}

/** Keeps localStorage, <html lang> and the title in step with the instance's language. */
export function syncLanguageWithDocument(instance: I18n): () => void {
  const apply = (language: string) => {
    document.documentElement.lang = language
    document.title = instance.t('app.documentTitle')
    try {
      localStorage.setItem(STORAGE_KEY, language)
    } catch {
      // Not remembered across visits, but the switch itself still works.
    }
  }
  apply(instance.language)
  instance.on('languageChanged', apply)
  return () => instance.off('languageChanged', apply)
}
