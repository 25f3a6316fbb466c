/**
 * The wall's view of area notices: the newest active notice of an urgent kind as a banner over
 * the map with its progress (已确认 812 / 1,034, the share of grids searched), and its target area
 * outlined on the map. Kept current by the notice events of the live feed and a slow refetch.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useMemo } from 'react'
import { useTranslation } from 'react-i18next'
import { createOutlineLayer } from './notice-layers.ts'
import { fetchNotice, fetchNotices, URGENT_KINDS, type NoticeListItem } from './notices-api.ts'
import { useNoticeLive } from './use-notice-live.ts'
import './notices.css'
import { queryKeys } from '../api/query-keys.ts'

const REFRESH_MS = 15_000

export function useWallNotice() {
  const queryClient = useQueryClient()
  const active = useQuery({
    queryKey: queryKeys.notices.wall.active,
    queryFn: ({ signal }) => fetchNotices('active', signal),
    refetchInterval: REFRESH_MS,
    refetchIntervalInBackground: true,
  })
  useNoticeLive(
    () => void queryClient.invalidateQueries({ queryKey: queryKeys.notices.wall.active }),
    () => void queryClient.invalidateQueries({ queryKey: queryKeys.notices.wall.all }),
  )
  const notice = active.data?.find((n) => URGENT_KINDS.includes(n.kind))
  const outline = useQuery({
    queryKey: queryKeys.notices.wall.outline(notice?.id),
    queryFn: async ({ signal }) => (await fetchNotice(notice!.id, 2, signal)).outline,
    enabled: notice !== undefined,
    staleTime: Infinity,
  })
  const layer = useMemo(() => (notice && outline.data ? createOutlineLayer(outline.data) : null), [notice, outline.data])
  return { notice, layer }
}

export function WallNoticeBanner({ notice }: { notice: NoticeListItem | undefined }) {
  const { t } = useTranslation()
  if (!notice) return null
  const { acknowledged, recipients, cells, cellsSearched } = notice.progress
  const share = recipients ? acknowledged / recipients : 0
  return (
    <div className="wall-notice" role="status" data-notice={notice.id} data-acked={acknowledged} data-total={recipients}>
      <span className="wall-notice__kind">{t(`notices.kind.${notice.kind}`)}</span>
      <span className="wall-notice__title">{notice.title}</span>
      <span className="wall-notice__progress">
        {t('notices.detail.progress', { acked: acknowledged.toLocaleString('zh-CN'), total: recipients.toLocaleString('zh-CN') })}
        <span className="wall-notice__bar">
          <span style={{ width: `${(share * 100).toFixed(1)}%` }} />
        </span>
      </span>
      <span className="wall-notice__searched">
        {t('notices.detail.searchedShare')} {cells ? Math.round((cellsSearched / cells) * 100) : 0}%
      </span>
    </div>
  )
}
