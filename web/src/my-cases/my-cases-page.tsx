/**
 * 我的待办 (my cases), for leaders and grid staff at their desks: the open cases dispatched to
 * them and those waiting at their own cell's level with nobody chosen yet (the office's queue),
 * soonest due first. Each row offers the actions the server allows now (受理/立案, 派遣, 开始处置,
 * 处置完成 with a note, 上报上级, 退回 …) through the same action dialog as the case drawer, so
 * notes, assignees, confirmations and the server's refusals behave the same everywhere; the
 * list is refetched after each action. A row links to the case on the map (/incident/<id>).
 */
import { useQuery } from '@tanstack/react-query'
import { Fragment, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useMe } from '../access/session.tsx'
import type { IncidentAction } from '../api/client.ts'
import { queryKeys } from '../api/query-keys.ts'
import { ActionDialog } from '../incidents/action-dialog.tsx'
import { formatAssignee } from '../incidents/actor-label.ts'
import { fetchMyCases, type MyCase } from '../incidents/case-api.ts'
import { categoryColor, categoryLabel, indexCategories } from '../incidents/categories.ts'
import { formatIsoDateTime, severityKey } from '../incidents/incident-tooltip.ts'
import { useCategories } from '../incidents/use-incidents.ts'
import { toCss } from '../map/palette.ts'
import { QueryBlock, ScreenPage, ScreenStatus } from '../panels/screen-page.tsx'
import { actsOnCases } from '../routing/screen-paths.ts'
import { measureDue } from './due-time.ts'

export default function MyCasesPage() {
  const { t, i18n } = useTranslation()
  const language = i18n.resolvedLanguage
  const me = useMe()
  const mayAct = actsOnCases(me)
  const cases = useQuery({ queryKey: queryKeys.myCases, queryFn: fetchMyCases, enabled: mayAct, refetchInterval: 60_000 })
  const tree = useCategories()
  const categories = useMemo(() => (tree.data ? indexCategories(tree.data) : undefined), [tree.data])
  const [open, setOpen] = useState<{ id: number; action: IncidentAction } | null>(null)
  const [done, setDone] = useState<string | null>(null)
  const now = Date.now()

  useEffect(() => {
    document.title = t('cases.mine.documentTitle')
  }, [t])

  const items = cases.data?.items ?? []
  const dueText = (c: MyCase) => {
    const span = measureDue(c.dueAt, now)
    const time = t(`cases.mine.${span.unit}`, { count: span.count })
    return { text: t(span.overdue ? 'cases.mine.overdueBy' : 'cases.mine.dueIn', { time }), span }
  }

  return (
    <ScreenPage
      className="my-cases-page"
      titleId="my-cases-title"
      title={t('cases.mine.title')}
      subtitle={t('cases.mine.subtitle')}
      actions={
        <>
          {cases.data && (
            <span className="screen-page__note" data-testid="my-cases-count">
              {t('cases.mine.count', { count: items.length })}
            </span>
          )}
          <button type="button" className="button" onClick={() => void cases.refetch()} disabled={!mayAct}>
            {t('cases.mine.refresh')}
          </button>
        </>
      }
    >
      <ScreenStatus text={done} />
      {!mayAct ? (
        <p className="screen-page__note">{t('cases.mine.readOnly')}</p>
      ) : (
        <QueryBlock
          pending={cases.isPending}
          loading={t('cases.mine.loading')}
          error={cases.isError ? t('cases.mine.error') : null}
          empty={items.length === 0}
          emptyText={t('cases.mine.empty')}
        >
          <table className="screen-table" aria-labelledby="my-cases-title">
            <thead>
              <tr>
                <th>{t('cases.mine.colCase')}</th>
                <th>{t('cases.mine.colCategory')}</th>
                <th>{t('cases.mine.colStatus')}</th>
                <th>{t('cases.mine.colDue')}</th>
                <th>{t('cases.mine.colAssignee')}</th>
                <th>{t('cases.mine.colActions')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => {
                const due = dueText(c)
                return (
                  <Fragment key={c.id}>
                    <tr data-incident-id={c.id} data-status={c.status}>
                      <td>
                        <a className="my-cases__title" href={`/incident/${c.id}`} title={t('cases.mine.openOnMap')}>
                          {c.title}
                        </a>
                        <div className="screen-table__mono">
                          #{c.id} · {c.gridCode}
                        </div>
                      </td>
                      <td>
                        <span className="incident-row__dot" style={{ background: toCss(categoryColor(categories, c.category)) }} />{' '}
                        {categoryLabel(categories, c.category, language)}
                        <div className="screen-page__note">{t(severityKey(c.severity))}</div>
                      </td>
                      <td>
                        <span className={`status-badge status-badge--${c.status}`}>{t(`status.${c.status}`)}</span>
                      </td>
                      <td>
                        <div className={due.span.overdue ? 'due--overdue' : due.span.soon ? 'due--soon' : undefined} data-testid="due">
                          {due.text}
                        </div>
                        <div className="screen-page__note">{formatIsoDateTime(c.dueAt)}</div>
                      </td>
                      <td>
                        {c.assignee ? formatAssignee(t, c.assignee, language) : t('caseLoop.assigneeNone')}
                        <span className={`assign-badge${c.assignee ? ' assign-badge--mine' : ''}`}>
                          {t(c.assignee ? 'cases.mine.mineBadge' : 'cases.mine.queueBadge')}
                        </span>
                      </td>
                      <td>
                        <div className="screen-table__actions">
                          {c.allowedActions.map((action) => (
                            <button
                              key={action}
                              type="button"
                              className="button action-button"
                              data-action={action}
                              aria-pressed={open?.id === c.id && open.action === action}
                              onClick={() => (setDone(null), setOpen({ id: c.id, action }))}
                            >
                              {t(`actions.${action}`)}
                            </button>
                          ))}
                        </div>
                      </td>
                    </tr>
                    {open?.id === c.id && c.allowedActions.includes(open.action) && (
                      <tr className="screen-table__detail">
                        <td colSpan={6}>
                          <ActionDialog
                            key={`${c.id}-${open.action}`}
                            incident={c}
                            action={open.action}
                            onDone={(action) => setDone(`#${c.id} ${t('cases.mine.done', { action: t(`actions.${action}`) })}`)}
                            onClose={() => setOpen(null)}
                          />
                        </td>
                      </tr>
                    )}
                  </Fragment>
                )
              })}
            </tbody>
          </table>
        </QueryBlock>
      )}
    </ScreenPage>
  )
}
