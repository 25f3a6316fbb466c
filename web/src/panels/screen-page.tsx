/**
 * The frame of the screens that are pages of tables and forms rather than maps (my cases,
 * departments, the audit log): the app header, one scrolling column, and a head with the title,
 * a subtitle and the page's own actions on the right. `QueryBlock` is the loading / failed /
 * empty / content choice each such page makes for its table.
 */
import type { ReactNode } from 'react'
import { AppHeader } from './app-header.tsx'
import './screen-page.css'

export function ScreenPage(props: { className: string; titleId: string; title: string; subtitle: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <div className={`app screen-page ${props.className}`}>
      <AppHeader search={null} />
      <main className="screen-page__main" aria-labelledby={props.titleId}>
        <div className="screen-page__head">
          <div>
            <h2 id={props.titleId} className="screen-page__title">
              {props.title}
            </h2>
            <p className="screen-page__subtitle">{props.subtitle}</p>
          </div>
          <span className="screen-page__spacer" />
          {props.actions}
        </div>
        {props.children}
      </main>
    </div>
  )
}

/** A line saying what just happened (saved, sent), or what went wrong when `error` is set. */
export function ScreenStatus(props: { text: string | null; error?: boolean }) {
  if (!props.text) return null
  return props.error ? (
    <p className="screen-page__status screen-page__status--error" role="alert">
      {props.text}
    </p>
  ) : (
    <p className="screen-page__status" role="status">
      {props.text}
    </p>
  )
}

/** The loading note, the error, the empty note, or the content, in that order of precedence. */
export function QueryBlock(props: {
  pending: boolean
  loading: string
  error?: string | null
  empty: boolean
  emptyText: string
  emptyTestId?: string
  children: ReactNode
}) {
  if (props.pending) return <p className="screen-page__note">{props.loading}</p>
  if (props.error) return <ScreenStatus text={props.error} error />
  if (props.empty)
    return (
      <p className="screen-page__note" data-testid={props.emptyTestId}>
        {props.emptyText}
      </p>
    )
  return <>{props.children}</>
}
