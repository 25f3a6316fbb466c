/**
 * Notices to grid workers (寻人协查, urgent and work notices): the worker's inbox from the notices
 * feature: the list, one notice opened (by the worker, or from the page's live banner), its
 * acknowledgement (已收到) and replies (a clue or 已排查未发现).
 */
import { useTranslation } from 'react-i18next'
import { NoticeInbox } from '../notices/notice-inbox.tsx'

export function NoticesSection({ open, onOpen }: { open: number | null; onOpen(id: number | null): void }) {
  const { t } = useTranslation()
  return (
    <section className="field-section" aria-labelledby="field-notices-title">
      <h2 id="field-notices-title" className="field-section__title">
        {t('mobile.notices.title')}
      </h2>
      <NoticeInbox banner={false} heading={false} open={open} onOpen={onOpen} />
    </section>
  )
}
