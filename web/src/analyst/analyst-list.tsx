/**
 * The filtered incidents themselves, newest first, a page at a time ("more" fetches the next
 * keyset page of the same filter). The total is the list endpoint's own, shown beside the
 * heading so it can be checked against the figures and the map. A row opens the case drawer.
 */
import { useTranslation } from 'react-i18next'
import type { CategoryIndex } from '../incidents/categories.ts'
import { IncidentRowContent } from '../incidents/incident-row.tsx'
import type { useIncidentList } from './use-analyst-data.ts'

export interface AnalystListProps {
  list: ReturnType<typeof useIncidentList>
  categories: CategoryIndex | undefined
  onOpen: (id: number) => void
}

export function AnalystList({ list, categories, onOpen }: AnalystListProps) {
  const { t } = useTranslation()
  const items = list.data?.pages.flatMap((page) => page.items) ?? []
  const total = list.data?.pages[0]?.total
  return (
    <div className="analyst-list" data-total={total ?? ''}>
      <p className="analyst-list__count">{total === undefined ? t('analyst.list.loading') : t('analyst.list.count', { shown: items.length, total })}</p>
      {list.isError && <p className="cell-panel__note">{t('incidents.listError')}</p>}
      <ul className="incident-list">
        {items.map((incident) => (
          <li key={incident.id}>
            <button
              type="button"
              className="incident-row"
              data-incident-id={incident.id}
              data-overdue={incident.overdue || undefined}
              onClick={() => onOpen(incident.id)}
            >
              <IncidentRowContent incident={incident} categories={categories} />
            </button>
          </li>
        ))}
      </ul>
      {list.hasNextPage && (
        <button type="button" className="more-button" disabled={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
          {list.isFetchingNextPage ? t('analyst.list.loading') : t('analyst.list.more')}
        </button>
      )}
    </div>
  )
}
