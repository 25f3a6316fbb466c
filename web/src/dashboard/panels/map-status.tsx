/**
 * Centre-screen notice while the grid data loads, when it could not be loaded, when a link names
 * no cell, or names one outside the viewer's area (nothing is asked about such a cell).
 */
import { useTranslation } from 'react-i18next'

export type MapStatusProps =
  | { state: 'loading' }
  | { state: 'empty' }
  | { state: 'not-found'; code: string; onBack: () => void }
  | { state: 'outside'; code: string; scopeName: string; onBack: () => void }
  | { state: 'error'; detail: string; onRetry: () => void }

export function MapStatus(props: MapStatusProps) {
  const { t } = useTranslation()
  if (props.state === 'loading') {
    return (
      <div className="map-status" role="status">
        <span className="map-status__spinner" aria-hidden="true" />
        {t('map.loading')}
      </div>
    )
  }
  if (props.state === 'empty')
    return (
      <div className="map-status" role="status">
        {t('map.empty')}
      </div>
    )
  if (props.state === 'outside') {
    return (
      <div className="map-status map-status--error" role="alert" data-testid="outside-scope">
        <strong>{t('map.outsideScope', { code: props.code, scope: props.scopeName })}</strong>
        <button type="button" className="button" onClick={props.onBack}>
          {t('map.backToOwnArea', { scope: props.scopeName })}
        </button>
      </div>
    )
  }
  if (props.state === 'not-found') {
    return (
      <div className="map-status map-status--error" role="alert">
        <strong>{t('map.notFound', { code: props.code })}</strong>
        <button type="button" className="button" onClick={props.onBack}>
          {t('map.backToRoot')}
        </button>
      </div>
    )
  }
  return (
    <div className="map-status map-status--error" role="alert">
      <strong>{t('map.error')}</strong>
      <span className="map-status__detail">{props.detail}</span>
      <button type="button" className="button" onClick={props.onRetry}>
        {t('map.retry')}
      </button>
    </div>
  )
}
