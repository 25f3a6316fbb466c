/**
 * What has not reached the server yet, always in sight at the top of the page: 待发送 with the
 * count (and a button to try now), and anything the server refused for good with its reason and
 * a button to drop it.
 */
import type { TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import type { QueueItem } from './queue-logic.ts'
import type { SendQueue } from './use-send-queue.ts'

function describe(item: QueueItem, t: TFunction): string {
  if (item.kind === 'report') return item.mergeInto ? t('mobile.queue.addTo', { title: item.body.title, id: item.mergeInto.id }) : item.body.title
  if (item.kind === 'action') return t(`mobile.queue.action_${item.action}`, { id: item.incidentId })
  if (item.kind === 'positions') return t('mobile.queue.positions', { count: item.positions.length })
  if (item.kind === 'patrol-start') return t('mobile.queue.patrolStart')
  return t('mobile.queue.patrolEnd')
}

export function QueueBanner({ queue }: { queue: SendQueue }) {
  const { t } = useTranslation()
  if (queue.waiting.length === 0 && queue.refused.length === 0) return null
  return (
    <div className="field-queue" aria-live="polite">
      {queue.waiting.length > 0 && (
        <div className="field-queue__row">
          <span className="field-queue__count" data-testid="queue-count">
            {t('mobile.queue.waiting', { count: queue.waiting.length })}
          </span>
          <span className="field-queue__note">{queue.sending ? t('mobile.queue.sending') : t('mobile.queue.willSend')}</span>
          <button type="button" className="field-button field-button--small" onClick={queue.sendNow} disabled={queue.sending}>
            {t('mobile.queue.sendNow')}
          </button>
        </div>
      )}
      {queue.refused.map((item) => (
        <div key={item.id} className="field-queue__row field-queue__row--refused" role="alert">
          <span>{t('mobile.queue.refused', { what: describe(item, t), reason: item.lastError ?? '' })}</span>
          <button type="button" className="field-button field-button--small" onClick={() => void queue.discard(item.id)}>
            {t('mobile.queue.discard')}
          </button>
        </div>
      ))}
    </div>
  )
}
