import { describe, expect, it } from 'vitest'
import { createI18n, LANGUAGES, readStoredLanguage, RESOURCES } from './index.ts'

function keyPaths(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix]
  return Object.entries(value).flatMap(([key, child]) => keyPaths(child, prefix ? `${prefix}.${key}` : key))
}

describe('i18n resources', () => {
  it('has the same keys in zh-CN and en', () => {
    expect(keyPaths(RESOURCES.en.translation).sort()).toEqual(keyPaths(RESOURCES['zh-CN'].translation).sort())
  })

  it('has no empty strings in any language', () => {
    for (const language of LANGUAGES) {
      const t = createI18n(language).t
      for (const key of keyPaths(RESOURCES[language].translation)) {
        expect(t(key as 'app.title'), `${language} ${key}`).not.toBe('')
      }
    }
  })

  it('formats numbers for the current language', () => {
    expect(createI18n('zh-CN').t('tooltip.householdsValue', { value: 12345 })).toBe('12,345 户')
    expect(createI18n('en').t('tooltip.householdsValue', { value: 12345 })).toBe('12,345 households')
  })

  it('falls back to zh-CN when the remembered language is unknown or storage fails', () => {
    expect(readStoredLanguage({ getItem: () => 'en' })).toBe('en')
    expect(readStoredLanguage({ getItem: () => 'fr' })).toBe('zh-CN')
    expect(
      readStoredLanguage({
        getItem: () => {
          throw new Error('denied')
        },
      }),
    ).toBe('zh-CN')
    expect(readStoredLanguage(undefined)).toBe('zh-CN')
  })
})
