/**
 * The grid import at /import (the commander's): choose the county's files and the import's
 * options, upload them (with the upload's progress), follow the check, read the report on the map
 * (every problem coloured by kind, bold when blocking, found from the list beside the map), then
 * apply after a confirmation saying what changes. The server does the work (server/grid-imports/,
 * the command line's own readers and checks); once applied the map shows the new cells.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query'
import type { Geometry } from 'geojson'
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { errorText } from '../api/rpc.ts'
import { queryKeys } from '../api/query-keys.ts'
import { useMe } from '../access/session.tsx'
import { BaseMap } from '../map/base-map.tsx'
import { expandBbox, type Bbox } from '../map/geometry.ts'
import { ScreenPage, ScreenStatus } from '../panels/screen-page.tsx'
import { BASE_DATA_IMPORT_PATH, importsGrid } from '../routing/screen-paths.ts'
import {
  applyImport,
  fetchImportProblems,
  fetchImportStatus,
  fetchImports,
  type ImportOptions,
  type ImportStatus,
  type ProblemFeature,
  uploadGrid,
} from './grid-import-api.ts'
import { createProblemsLayer, kindColor, PROBLEMS_LAYER_ID } from './layers/problems-layer.ts'
import type { gridImportZhCN } from '../i18n/sections/gridImport.ts'
import './grid-import.css'

type Kind = keyof typeof gridImportZhCN.kinds
type Stage = keyof typeof gridImportZhCN.stages

const PADDING = { top: 40, right: 40, bottom: 40, left: 40 }
const TILE_LEVELS = { fill: [2], line: [2, 3, 4, 5] }
const ACCEPT = '.zip,.shp,.shx,.dbf,.prj,.cpg,.gpkg,.geojson,.json,.fgb'
const NO_OPTIONS: ImportOptions = { layer: '', crs: '', encoding: '', map: '', toleranceM: '5', effective: '' }

declare global {
  interface Window {
    /** Read-only, for end-to-end tests: the map, the problems drawn and the one chosen. */
    __gridscopeImport?: { map(): import('maplibre-gl').Map | null; drawn(): string[]; selected(): number | null }
  }
}

/** The i18n key of a progress stage the server names ('check: overlap' → 'overlap'). */
function stageKey(stage: string): Stage {
  if (stage === 'check: load cells') return 'load-cells'
  if (stage === 'check: done') return 'checked'
  if (stage.startsWith('apply')) return 'apply'
  return stage.replace(/^check: /, '') as Stage
}

function bboxOf(geometry: Geometry | null): Bbox | null {
  let box: Bbox | null = null
  const walk = (value: unknown): void => {
    if (!Array.isArray(value)) return
    if (typeof value[0] === 'number') {
      const [x, y] = value as [number, number]
      box = box ? [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x), Math.max(box[3], y)] : [x, y, x, y]
      return
    }
    for (const item of value) walk(item)
  }
  if (geometry && 'coordinates' in geometry) walk(geometry.coordinates)
  return box
}

export default function GridImportPage() {
  const { t, i18n } = useTranslation()
  useEffect(() => {
    document.title = t('gridImport.documentTitle')
  }, [t])
  const me = useMe()
  const queryClient = useQueryClient()
  const [files, setFiles] = useState<File[]>([])
  const [options, setOptions] = useState<ImportOptions>(NO_OPTIONS)
  const [uploading, setUploading] = useState<number | null>(null)
  const [id, setId] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [selected, setSelected] = useState<number | null>(null)
  const [confirming, setConfirming] = useState(false)
  /** The confirmation opens below the plan, often past the column's fold: bring it into view. */
  const confirmRef = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (confirming) confirmRef.current?.scrollIntoView({ block: 'nearest' })
  }, [confirming])
  const [applying, setApplying] = useState(false)
  const [applied, setApplied] = useState<ImportStatus | null>(null)
  const latestSelected = useRef(selected)
  latestSelected.current = selected

  // The page opens on the latest import this server holds (after a reload, or in another language).
  const allowed = importsGrid(me)
  const latest = useQuery({ queryKey: queryKeys.gridImport.all, queryFn: fetchImports, enabled: id === null && allowed })
  useEffect(() => {
    const newest = latest.data?.items[0]
    if (id === null && newest) setId(newest.id)
  }, [latest.data, id])

  const status = useQuery({
    queryKey: queryKeys.gridImport.status(id ?? ''),
    queryFn: () => fetchImportStatus(id!),
    enabled: id !== null,
    // Followed while the server checks; still once checked.
    refetchInterval: (query) => (query.state.data?.state === 'checking' || query.state.data?.state === 'applying' ? 500 : false),
  })
  // A failed check found nothing to show: only its reason.
  const checked = status.data && status.data.state !== 'checking' && status.data.state !== 'failed' ? status.data : null
  const problems = useQuery({
    queryKey: queryKeys.gridImport.problems(id ?? ''),
    queryFn: () => fetchImportProblems(id!),
    enabled: id !== null && checked !== null,
  })
  const features = problems.data?.features ?? []

  const nf = useMemo(() => new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 }), [i18n.language])
  const camera = useMemo(() => {
    const chosen = selected === null ? null : features.find((f) => f.properties.index === selected)
    const box = chosen ? bboxOf(chosen.geometry) : null
    if (box) {
      // A point or a thin strip still gets a view of some hundred metres around it.
      const [w, s, e, n] = box
      const pad = Math.max(0.002, (e - w) * 0.6, (n - s) * 0.6)
      return { key: `problem-${selected}`, bounds: [w - pad, s - pad, e + pad, n + pad] as Bbox }
    }
    const bounds = status.data?.bounds
    return bounds ? { key: `import-${status.data?.id}`, bounds: expandBbox(bounds as Bbox, 0.05) } : undefined
  }, [selected, features, status.data?.bounds, status.data?.id])

  // The map is made again once applied (its key): a deck.gl layer must not move to a new map, so
  // the layer is made again with it.
  const mapKey = applied?.version ?? (status.data?.state === 'applied' ? status.data.version : null) ?? 'before'
  const layers = useMemo(() => (problems.data ? [createProblemsLayer(problems.data, selected)] : []), [problems.data, selected, mapKey])

  useEffect(() => {
    if (!applied) return
    // The grid changed: every screen's grid data is stale.
    void queryClient.invalidateQueries()
  }, [applied, queryClient])

  const submit = async (event: FormEvent) => {
    event.preventDefault()
    if (files.length === 0) return
    setError(null)
    setApplied(null)
    setSelected(null)
    setUploading(0)
    try {
      const started = await uploadGrid(files, options, (sent, total) => setUploading(total ? Math.round((100 * sent) / total) : 0))
      queryClient.setQueryData(queryKeys.gridImport.status(started.id), started)
      setId(started.id)
    } catch (failure) {
      setError(errorText(failure))
    } finally {
      setUploading(null)
    }
  }

  const apply = async () => {
    if (!id) return
    setApplying(true)
    setError(null)
    try {
      const result = await applyImport(id)
      setApplied(result)
      setConfirming(false)
      queryClient.setQueryData(queryKeys.gridImport.status(id), result)
    } catch (failure) {
      setError(errorText(failure))
      setConfirming(false)
    } finally {
      setApplying(false)
    }
  }

  const option = (key: keyof ImportOptions, type = 'text') => (
    <label className="grid-import__option">
      <span>{t(`gridImport.${key}`)}</span>
      <input
        type={type}
        name={key}
        value={options[key]}
        onChange={(e) => setOptions((o) => ({ ...o, [key]: e.target.value }))}
        {...(key === 'toleranceM' ? { min: 0, max: 1000, step: 'any' } : {})}
      />
      {key !== 'toleranceM' && key !== 'effective' && <small>{t(`gridImport.${key}Hint`)}</small>}
    </label>
  )

  /** The problem said in the page's language (the server's English sentence is its title). */
  const messageOf = (f: ProblemFeature) => {
    const { kind, severity, code, other, areaM2 } = f.properties
    const key = kind === 'invalid-geometry' && severity === 'error' ? 'invalid-geometry-error' : (kind as Kind)
    return t(`gridImport.messages.${key as Kind | 'invalid-geometry-error'}`, { code, other: other ?? '', area: areaM2 === null ? '' : nf.format(areaM2) })
  }

  const progress = status.data?.progress
  const plan = checked?.plan
  const blocked = (checked?.errors ?? 0) > 0
  const done = applied ?? (checked && (checked.state === 'applied' || checked.state === 'unchanged') ? checked : null)

  return (
    <ScreenPage
      className="grid-import-page"
      titleId="grid-import-title"
      title={t('gridImport.title')}
      subtitle={t('gridImport.subtitle')}
      actions={
        <a className="button button--quiet grid-import__base-data" href={BASE_DATA_IMPORT_PATH}>
          {t('gridImport.baseData')}
        </a>
      }
    >
      <div className="grid-import">
        <div className="grid-import__side">
          <form className="grid-import__form card" onSubmit={submit} aria-label={t('gridImport.files')}>
            <label className="grid-import__files">
              <span>{t('gridImport.files')}</span>
              <input type="file" name="file" multiple accept={ACCEPT} onChange={(e) => setFiles([...(e.target.files ?? [])])} data-testid="grid-import-files" />
              <small>
                {files.length > 0 ? t('gridImport.chosen', { count: files.length, names: files.map((f) => f.name).join('、') }) : t('gridImport.filesHint')}
              </small>
            </label>
            <fieldset className="grid-import__options">
              <legend>{t('gridImport.options')}</legend>
              {option('crs')}
              {option('encoding')}
              {option('layer')}
              {option('map')}
              {option('toleranceM', 'number')}
              {option('effective', 'date')}
            </fieldset>
            <button
              type="submit"
              className="action-button"
              disabled={!allowed || files.length === 0 || uploading !== null || status.data?.state === 'checking'}
            >
              {t('gridImport.upload')}
            </button>
            <div className="grid-import__progress" role="status" data-testid="grid-import-progress">
              {uploading !== null && (
                <>
                  <span>{t('gridImport.uploading', { percent: uploading })}</span>
                  <progress max={100} value={uploading} />
                </>
              )}
              {uploading === null && status.data?.state === 'checking' && progress && (
                <>
                  <span>
                    {t('gridImport.checking', { stage: t(`gridImport.stages.${stageKey(progress.stage)}`, { done: progress.done, total: progress.total }) })}
                  </span>
                  <progress max={Math.max(1, progress.total)} value={progress.done} />
                </>
              )}
            </div>
          </form>
          <ScreenStatus text={allowed ? error : t('gridImport.commanderOnly')} error />
          {status.data?.reason && <ScreenStatus text={t(`gridImport.reasons.${status.data.reason}`)} error={status.data.state === 'failed'} />}
          {status.data && (
            <section className="grid-import__report" data-testid="grid-import-report" data-state={status.data.state}>
              <p className="grid-import__read">
                {t('gridImport.read', {
                  cells: status.data.cells,
                  levels: status.data.levels
                    .map((l) => t('gridImport.levelCount', { level: l.level === null ? '?' : t(`levels.grid${l.level as 1 | 2 | 3 | 4 | 5}`), count: l.cells }))
                    .join('，'),
                })}
                {checked && <> · {t('gridImport.summary', { errors: checked.errors, warnings: checked.warnings })}</>}
              </p>
              {checked && features.length > 0 && (
                <>
                  <h3 className="grid-import__heading">
                    {t('gridImport.problems')} <small>{t('gridImport.problemsHint')}</small>
                  </h3>
                  <ol className="grid-import__list" data-testid="grid-import-problems">
                    {features.map((f) => (
                      <li key={f.properties.index}>
                        <button
                          type="button"
                          className="grid-import__problem"
                          aria-pressed={selected === f.properties.index}
                          data-kind={f.properties.kind}
                          data-severity={f.properties.severity}
                          disabled={!f.geometry}
                          onClick={() => setSelected(f.properties.index)}
                        >
                          <span className="grid-import__swatch" style={{ background: `rgb(${kindColor(f.properties.kind).slice(0, 3).join(',')})` }} />
                          <span className={`grid-import__severity grid-import__severity--${f.properties.severity}`}>
                            {t(`gridImport.severity.${f.properties.severity}`)}
                          </span>
                          <strong>{t(`gridImport.kinds.${f.properties.kind as Kind}`)}</strong>
                          <code>{f.properties.code}</code>
                          {f.properties.areaM2 !== null && (
                            <span className="grid-import__area">{t('gridImport.area', { area: nf.format(f.properties.areaM2) })}</span>
                          )}
                          {!f.geometry && <span className="grid-import__area">{t('gridImport.noLocation')}</span>}
                          <span className="grid-import__message" title={f.properties.message}>
                            {messageOf(f)}
                          </span>
                        </button>
                      </li>
                    ))}
                  </ol>
                </>
              )}
              {checked && checked.state === 'checked' && features.length === 0 && <p className="grid-import__ok">{t('gridImport.noProblems')}</p>}
              {checked && blocked && (
                <p className="grid-import__blocked" role="alert">
                  {t('gridImport.blocked')}
                </p>
              )}
              {plan && !done && (
                <div className="grid-import__plan" data-testid="grid-import-plan">
                  <h3 className="grid-import__heading">{t('gridImport.planTitle')}</h3>
                  {plan.unchanged ? (
                    <p>{t('gridImport.unchanged')}</p>
                  ) : (
                    <ul>
                      <li>{t('gridImport.plan', { added: plan.added, updated: plan.updated, removed: plan.removed, roots: plan.roots.join('、') })}</li>
                      <li>{t('gridImport.planCases', { count: plan.openCases })}</li>
                      <li>{t('gridImport.planHomes', { count: plan.households, residents: plan.residents })}</li>
                      <li>{t('gridImport.planPeople', { count: plan.people })}</li>
                      <li>{t('gridImport.planParty', { count: plan.party })}</li>
                      {plan.retiredWithCases > 0 && <li>{t('gridImport.planRetired', { count: plan.retiredWithCases })}</li>}
                      {plan.unplaced.length > 0 && (
                        <li className="grid-import__blocked">{t('gridImport.inUse', { codes: plan.unplaced.map((u) => u.code).join('、') })}</li>
                      )}
                    </ul>
                  )}
                  {!confirming && (
                    <button
                      type="button"
                      className="action-button"
                      disabled={blocked || plan.unplaced.length > 0 || !allowed}
                      onClick={() => setConfirming(true)}
                    >
                      {t('gridImport.apply')}
                    </button>
                  )}
                  {confirming && (
                    <div ref={confirmRef} className="grid-import__confirm" role="alertdialog" aria-labelledby="grid-import-confirm-title">
                      <h4 id="grid-import-confirm-title">{t('gridImport.confirmTitle')}</h4>
                      <p>{t('gridImport.confirmText', { effective: checked?.settings.effective ?? new Date().toISOString().slice(0, 10) })}</p>
                      <p>
                        {t('gridImport.planCases', { count: plan.openCases })}
                        <br />
                        {t('gridImport.planHomes', { count: plan.households, residents: plan.residents })}
                        <br />
                        {t('gridImport.planPeople', { count: plan.people })}
                        <br />
                        {t('gridImport.planParty', { count: plan.party })}
                      </p>
                      <div className="grid-import__confirm-actions">
                        <button type="button" className="action-button" disabled={applying} onClick={apply}>
                          {t('gridImport.confirm')}
                        </button>
                        <button type="button" className="button button--quiet" onClick={() => setConfirming(false)}>
                          {t('gridImport.cancel')}
                        </button>
                      </div>
                    </div>
                  )}
                </div>
              )}
              {done && (
                <div className="grid-import__done" role="status" data-testid="grid-import-applied">
                  <p>{done.state === 'unchanged' ? t('gridImport.appliedUnchanged') : t('gridImport.applied', { version: done.version })}</p>
                  <p>
                    {t('gridImport.newCells')} · <a href="/">{t('gridImport.openMap')}</a>
                  </p>
                </div>
              )}
            </section>
          )}
        </div>
        <div className="grid-import__map-wrap">
          {status.data ? (
            <>
              <BaseMap
                key={mapKey}
                camera={camera}
                padding={PADDING}
                styleLevel={3}
                tileLevels={TILE_LEVELS}
                layers={layers}
                className="grid-import-map"
                label={t('gridImport.mapLabel')}
                attribution={t('map.attribution')}
                interactions={{
                  onClick: (point, { overlay }) => {
                    const picked = overlay.pickObject({ x: point.x, y: point.y, layerIds: [PROBLEMS_LAYER_ID] })
                    const feature = picked?.object as ProblemFeature | undefined
                    if (feature) setSelected(feature.properties.index)
                  },
                }}
                onReady={({ map, drawnLayerIds }) => {
                  const handle = Object.freeze({ map: () => map, drawn: drawnLayerIds, selected: () => latestSelected.current })
                  Object.defineProperty(window, '__gridscopeImport', { value: handle, configurable: true, enumerable: false, writable: false })
                  return () => {
                    if (window.__gridscopeImport === handle) delete window.__gridscopeImport
                  }
                }}
              />
              {checked && checked.kinds.length > 0 && (
                <ul className="grid-import__legend" aria-label={t('gridImport.legend')}>
                  {checked.kinds.map((k) => (
                    <li key={`${k.severity}:${k.kind}`}>
                      <span
                        className={`grid-import__swatch grid-import__swatch--${k.severity}`}
                        style={{ background: `rgb(${kindColor(k.kind).slice(0, 3).join(',')})` }}
                      />
                      {t(`gridImport.kinds.${k.kind as Kind}`)} · {t(`gridImport.severity.${k.severity}`)} {k.count}
                    </li>
                  ))}
                </ul>
              )}
            </>
          ) : (
            <p className="grid-import__map-note">{t('gridImport.mapEmpty')}</p>
          )}
        </div>
      </div>
    </ScreenPage>
  )
}
