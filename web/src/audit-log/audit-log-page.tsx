/**
 * 操作日志 for the commander: who revealed which case's parties and why, what API tokens read,
 * sign-ins, newest first. Filters (user, action, case, a date range written yyyy-mm-dd in China
 * time) are applied on 查询; pages follow the server's keyset (`before`), with the earlier pages'
 * positions kept for 上一页; 导出 CSV downloads every matching record of the same filter. Other
 * roles are told the page is the commander's and nothing is asked of the server.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useEffect, useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { useMe } from '../access/session.tsx'
import { queryKeys } from '../api/query-keys.ts'
import { errorText } from '../api/rpc.ts'
import { formatIsoDateTime } from '../incidents/incident-tooltip.ts'
import { QueryBlock, ScreenPage } from '../panels/screen-page.tsx'
import { readsAuditLog } from '../routing/screen-paths.ts'
import { auditCsvHref, auditQuery, EMPTY_AUDIT_FILTER, fetchAuditPage, type AuditFilter } from './audit-api.ts'

/** Actions the log holds (the select offers these; the server takes any code). */
const ACTIONS = ['reveal_parties', 'api-token-read', 'sign_in', 'evaluation_weights'] as const
const actionKey = (action: string) => action.replace(/-/g, '_') as 'reveal_parties' | 'api_token_read' | 'sign_in' | 'evaluation_weights'
const DATE = /^\d{4}-\d{2}-\d{2}$/

export default function AuditLogPage() {
  const { t } = useTranslation()
  const me = useMe()
  const allowed = readsAuditLog(me)
  const [draft, setDraft] = useState<AuditFilter>(EMPTY_AUDIT_FILTER)
  const [filter, setFilter] = useState<AuditFilter>(EMPTY_AUDIT_FILTER)
  /** `before` of each page shown so far: the last is the current page's (null: the newest). */
  const [positions, setPositions] = useState<(number | null)[]>([null])
  const before = positions.at(-1) ?? null
  const page = useQuery({
    queryKey: queryKeys.audit.page(new URLSearchParams({ ...auditQuery(filter), before: String(before ?? '') }).toString()),
    queryFn: () => fetchAuditPage(filter, before),
    enabled: allowed,
    placeholderData: keepPreviousData,
  })

  useEffect(() => {
    document.title = t('cases.audit.documentTitle')
  }, [t])

  const badDate = (value: string) => value !== '' && !DATE.test(value.trim())
  const dateProblem = badDate(draft.from) || badDate(draft.to)
  const search = (event: FormEvent) => {
    event.preventDefault()
    if (dateProblem) return
    setFilter(draft)
    setPositions([null])
  }
  const reset = () => {
    setDraft(EMPTY_AUDIT_FILTER)
    setFilter(EMPTY_AUDIT_FILTER)
    setPositions([null])
  }
  const set = (key: keyof AuditFilter) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value }))
  const error = errorText(page.error)
  const items = page.data?.items ?? []
  const actionName = (action: string) => t(`cases.audit.actions.${actionKey(action)}`, { defaultValue: action })

  return (
    <ScreenPage
      className="audit-page"
      titleId="audit-title"
      title={t('cases.audit.title')}
      subtitle={t('cases.audit.subtitle')}
      actions={
        allowed && (
          <a className="button" href={auditCsvHref(filter)} download data-testid="audit-csv">
            {t('cases.audit.export')}
          </a>
        )
      }
    >
      {!allowed ? (
        <p className="screen-page__status screen-page__status--error" role="alert">
          {t('cases.audit.forbidden')}
        </p>
      ) : (
        <>
          <form className="screen-form" onSubmit={search} noValidate aria-label={t('cases.audit.search')}>
            <label>
              <span>{t('cases.audit.actor')}</span>
              <input name="actor" value={draft.actor} maxLength={64} onChange={set('actor')} autoComplete="off" />
            </label>
            <label>
              <span>{t('cases.audit.action')}</span>
              <select name="action" value={draft.action} onChange={set('action')}>
                <option value="">{t('cases.audit.anyAction')}</option>
                {ACTIONS.map((a) => (
                  <option key={a} value={a}>
                    {actionName(a)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <span>{t('cases.audit.incident')}</span>
              <input name="incident" value={draft.incident} inputMode="numeric" maxLength={16} onChange={set('incident')} autoComplete="off" />
            </label>
            <label>
              <span>{t('cases.audit.from')}</span>
              <input
                name="from"
                value={draft.from}
                placeholder={t('cases.audit.datePlaceholder')}
                maxLength={10}
                onChange={set('from')}
                aria-invalid={badDate(draft.from)}
              />
            </label>
            <label>
              <span>{t('cases.audit.to')}</span>
              <input
                name="to"
                value={draft.to}
                placeholder={t('cases.audit.datePlaceholder')}
                maxLength={10}
                onChange={set('to')}
                aria-invalid={badDate(draft.to)}
              />
            </label>
            <div className="screen-form__buttons">
              <button type="submit" className="button" disabled={dateProblem}>
                {t('cases.audit.search')}
              </button>
              <button type="button" className="button action-dialog__cancel" onClick={reset}>
                {t('cases.audit.reset')}
              </button>
            </div>
            {dateProblem && <p className="screen-form__error screen-form__wide">{t('cases.audit.badDate')}</p>}
          </form>
          <QueryBlock
            pending={page.isPending}
            loading={t('cases.audit.loading')}
            error={error}
            empty={items.length === 0}
            emptyText={t('cases.audit.empty')}
            emptyTestId="audit-empty"
          >
            <table className="screen-table" aria-labelledby="audit-title" aria-busy={page.isFetching}>
              <thead>
                <tr>
                  <th>{t('cases.audit.colAt')}</th>
                  <th>{t('cases.audit.colActor')}</th>
                  <th>{t('cases.audit.colRole')}</th>
                  <th>{t('cases.audit.colAction')}</th>
                  <th>{t('cases.audit.colIncident')}</th>
                  <th>{t('cases.audit.colReason')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((r) => (
                  <tr key={r.id} data-audit-id={r.id} data-action={r.action}>
                    <td className="screen-table__mono">{formatIsoDateTime(r.at)}</td>
                    <td>{r.actor}</td>
                    <td>{t(`userRoles.${r.actorRole as 'commander'}`, { defaultValue: r.actorRole })}</td>
                    <td>{actionName(r.action)}</td>
                    <td className="screen-table__mono">{r.incidentId ? <a href={`/incident/${r.incidentId}`}>#{r.incidentId}</a> : ''}</td>
                    <td>{r.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </QueryBlock>
          <nav className="screen-pager" aria-label={t('cases.audit.page', { page: positions.length })}>
            <button type="button" className="button" disabled={positions.length <= 1} onClick={() => setPositions((p) => p.slice(0, -1))}>
              {t('cases.audit.prev')}
            </button>
            <span data-testid="audit-page">{t('cases.audit.page', { page: positions.length })}</span>
            <button
              type="button"
              className="button"
              disabled={!page.data?.nextBefore || page.isPlaceholderData}
              onClick={() => setPositions((p) => [...p, page.data!.nextBefore])}
            >
              {t('cases.audit.next')}
            </button>
          </nav>
        </>
      )}
    </ScreenPage>
  )
}
