/**
 * Where the map is in the hierarchy: 电白区 › 电海街道 › 蓝田坡村委会 › …, every step a way back
 * up, and an "up one level" button (also Escape, handled by the app).
 */
import { useTranslation } from 'react-i18next'
import type { GridStep } from '../../grid/codes.ts'

export interface BreadcrumbBarProps {
  steps: GridStep[]
  onSelect: (code: string) => void
  /** Goes one level up; absent at the root. */
  onUp: (() => void) | undefined
}

export function BreadcrumbBar({ steps, onSelect, onUp }: BreadcrumbBarProps) {
  const { t } = useTranslation()
  return (
    <nav className="breadcrumb-bar" aria-label={t('breadcrumb.label')}>
      <button type="button" className="breadcrumb-bar__up" onClick={onUp} disabled={!onUp} title={t('breadcrumb.upTitle')}>
        <svg viewBox="0 0 16 16" aria-hidden="true">
          <path d="M8 13V3M3.5 7.5 8 3l4.5 4.5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
        {t('breadcrumb.up')}
      </button>
      <ol className="breadcrumb-bar__steps">
        {steps.map((step, i) => {
          const isCurrent = i === steps.length - 1
          return (
            <li key={step.code} className="breadcrumb-bar__step">
              {isCurrent ? (
                <span className="breadcrumb-bar__current" aria-current="page">
                  {step.name}
                </span>
              ) : (
                <button type="button" className="breadcrumb-bar__link" onClick={() => onSelect(step.code)}>
                  {step.name}
                </button>
              )}
            </li>
          )
        })}
      </ol>
    </nav>
  )
}
