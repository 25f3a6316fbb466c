/**
 * 职能部门: the departments cases can be dispatched to (派出所, 司法所, 住建, 城管 …), with the
 * categories each takes and the area it covers. The commander adds and edits them and switches
 * one off (停用; never deleted, past dispatches name it) after a confirmation; leaders, who
 * dispatch to them, read the list with the duty phones. The server decides again (403 for
 * anyone else's write, 409 for a name taken, 422 naming a bad field) and its answer is shown.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { Fragment, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useMe } from '../access/session.tsx'
import { queryKeys } from '../api/query-keys.ts'
import { useGridCell } from '../api/queries.ts'
import { errorText } from '../api/rpc.ts'
import { categoryLabel, indexCategories, type CategoryIndex } from '../incidents/categories.ts'
import { useCategories } from '../incidents/use-incidents.ts'
import { QueryBlock, ScreenPage, ScreenStatus } from '../panels/screen-page.tsx'
import { managesDepartments } from '../routing/screen-paths.ts'
import { createDepartment, fetchDepartments, updateDepartment, type Department } from './departments-api.ts'
import { DepartmentForm, type DepartmentDraft } from './department-form.tsx'
import '../incidents/case-loop.css'

type Editing = { kind: 'new' } | { kind: 'edit'; id: number } | { kind: 'deactivate'; id: number } | null

export default function DepartmentsPage() {
  const { t, i18n } = useTranslation()
  const language = i18n.resolvedLanguage
  const me = useMe()
  const manages = managesDepartments(me)
  const queryClient = useQueryClient()
  const departments = useQuery({ queryKey: queryKeys.departments, queryFn: fetchDepartments })
  const tree = useCategories()
  const categories = useMemo(() => (tree.data ? indexCategories(tree.data) : undefined), [tree.data])
  const [editing, setEditing] = useState<Editing>(null)
  const [saved, setSaved] = useState<string | null>(null)

  useEffect(() => {
    document.title = t('cases.departments.documentTitle')
  }, [t])

  const save = useMutation({
    mutationFn: (input: { id: number | null; draft: DepartmentDraft | { active: boolean } }) =>
      input.id === null ? createDepartment(input.draft as DepartmentDraft) : updateDepartment(input.id, input.draft),
    onSuccess: (department) => {
      setEditing(null)
      setSaved(t('cases.departments.saved', { name: language === 'en' && department.nameEn ? department.nameEn : department.nameZh }))
      return queryClient.invalidateQueries({ queryKey: queryKeys.departments })
    },
  })
  const saveError = errorText(save.error)
  const open = (next: Editing) => {
    save.reset()
    setSaved(null)
    setEditing(next)
  }
  const items = departments.data?.items ?? []
  const name = (d: Department) => (language === 'en' && d.nameEn ? d.nameEn : d.nameZh)

  return (
    <ScreenPage
      className="departments-page"
      titleId="departments-title"
      title={t('cases.departments.title')}
      subtitle={t('cases.departments.subtitle')}
      actions={
        manages ? (
          <button type="button" className="button" onClick={() => open({ kind: 'new' })} aria-pressed={editing?.kind === 'new'}>
            {t('cases.departments.add')}
          </button>
        ) : (
          <span className="screen-page__note">{t('cases.departments.readOnly')}</span>
        )
      }
    >
      <ScreenStatus text={saved} />
      {editing?.kind === 'new' && (
        <DepartmentForm
          categories={tree.data ?? []}
          busy={save.isPending}
          error={saveError}
          onSave={(draft) => save.mutate({ id: null, draft })}
          onCancel={() => setEditing(null)}
        />
      )}
      <QueryBlock
        pending={departments.isPending}
        loading={t('cases.departments.loading')}
        error={departments.isError ? t('cases.departments.error') : null}
        empty={items.length === 0}
        emptyText={t('cases.departments.empty')}
      >
        <table className="screen-table" aria-labelledby="departments-title">
          <thead>
            <tr>
              <th>{t('cases.departments.colName')}</th>
              <th>{t('cases.departments.colCategories')}</th>
              <th>{t('cases.departments.colScope')}</th>
              <th>{t('cases.departments.colContact')}</th>
              <th>{t('cases.departments.colPhone')}</th>
              <th>{t('cases.departments.colState')}</th>
              {manages && <th>{t('cases.departments.colActions')}</th>}
            </tr>
          </thead>
          <tbody>
            {items.map((d) => (
              <Fragment key={d.id}>
                <tr data-department-id={d.id} data-inactive={d.active ? undefined : ''}>
                  <td>
                    {name(d)}
                    {language !== 'en' && d.nameEn && <div className="screen-page__note">{d.nameEn}</div>}
                  </td>
                  <td>{categoryNames(d.categories, categories, language) || t('cases.departments.allCategories')}</td>
                  <td>
                    <ScopeName code={d.scope} />
                  </td>
                  <td>{d.contactName}</td>
                  <td className="screen-table__mono">{d.contactPhone ? <a href={`tel:${d.contactPhone}`}>{d.contactPhone}</a> : ''}</td>
                  <td>{t(d.active ? 'cases.departments.active' : 'cases.departments.inactive')}</td>
                  {manages && (
                    <td>
                      <div className="screen-table__actions">
                        <button type="button" className="button" onClick={() => open({ kind: 'edit', id: d.id })}>
                          {t('cases.departments.edit')}
                        </button>
                        {d.active ? (
                          <button type="button" className="button action-button--secondary" onClick={() => open({ kind: 'deactivate', id: d.id })}>
                            {t('cases.departments.deactivate')}
                          </button>
                        ) : (
                          <button type="button" className="button" onClick={() => save.mutate({ id: d.id, draft: { active: true } })}>
                            {t('cases.departments.activate')}
                          </button>
                        )}
                      </div>
                    </td>
                  )}
                </tr>
                {editing?.kind === 'edit' && editing.id === d.id && (
                  <tr className="screen-table__detail">
                    <td colSpan={7}>
                      <DepartmentForm
                        initial={d}
                        categories={tree.data ?? []}
                        busy={save.isPending}
                        error={saveError}
                        onSave={(draft) => save.mutate({ id: d.id, draft })}
                        onCancel={() => setEditing(null)}
                      />
                    </td>
                  </tr>
                )}
                {editing?.kind === 'deactivate' && editing.id === d.id && (
                  <tr className="screen-table__detail">
                    <td colSpan={7}>
                      <div className="action-dialog" role="dialog" aria-label={t('cases.departments.deactivate')}>
                        <p className="action-dialog__warning" role="note">
                          {t('cases.departments.confirmDeactivate', { name: name(d) })}
                        </p>
                        {saveError && <p className="screen-form__error">{saveError}</p>}
                        <div className="action-dialog__buttons">
                          <button
                            type="button"
                            className="button action-dialog__confirm"
                            disabled={save.isPending}
                            onClick={() => save.mutate({ id: d.id, draft: { active: false } })}
                          >
                            {t('caseLoop.submit')}
                          </button>
                          <button type="button" className="button action-dialog__cancel" onClick={() => setEditing(null)}>
                            {t('cases.departments.cancel')}
                          </button>
                        </div>
                      </div>
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </QueryBlock>
    </ScreenPage>
  )
}

function categoryNames(codes: readonly string[], index: CategoryIndex | undefined, language: string | undefined): string {
  return codes.map((code) => categoryLabel(index, code, language)).join('、')
}

/** A scope's grid name (from the cell's own answer, cached) beside its code. */
function ScopeName({ code }: { code: string }) {
  const cell = useGridCell(code)
  return (
    <>
      {cell.data?.name ?? ''}
      <div className="screen-table__mono">{code}</div>
    </>
  )
}
