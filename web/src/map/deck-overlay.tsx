/**
 * The one component that joins deck.gl to MapLibre: a MapLibreOverlay in interleaved mode, so
 * deck.gl layers draw into MapLibre's own WebGL2 context and stack with its layers. Layers and
 * handlers are pushed on every render; the overlay itself lives as long as the map.
 */
import type { DeckProps, PickingInfo } from '@deck.gl/core'
import { MapLibreOverlay } from '@deck.gl/maplibre'
import type { Map as MapLibreMap } from 'maplibre-gl'
import { useEffect, useRef } from 'react'

export interface DeckOverlayProps {
  map: MapLibreMap | null
  layers: DeckProps['layers']
  onHover?: (info: PickingInfo) => void
  /** Called after each frame that drew the deck.gl layers (MapLibre's render event). */
  onAfterRender?: () => void
  getCursor?: DeckProps['getCursor']
  /** Told when the overlay is attached (with it) and detached (with null). */
  onOverlay?: (overlay: MapLibreOverlay | null) => void
}

export function DeckOverlay({ map, layers, onHover, onAfterRender, getCursor, onOverlay }: DeckOverlayProps) {
  // deck.gl calls the handlers it is given without checking them: pass only those provided.
  const props: Pick<DeckProps, 'layers' | 'onHover' | 'onAfterRender' | 'getCursor'> = { layers }
  if (onHover) props.onHover = onHover
  if (onAfterRender) props.onAfterRender = onAfterRender
  if (getCursor) props.getCursor = getCursor
  const latest = useRef({ props, onOverlay })
  const overlayRef = useRef<MapLibreOverlay | null>(null)

  useEffect(() => {
    if (!map) return
    const overlay = new MapLibreOverlay({ interleaved: true, ...latest.current.props })
    map.addControl(overlay)
    overlayRef.current = overlay
    latest.current.onOverlay?.(overlay)
    // The overlay places its layers into MapLibre's style only once the style and all its
    // sources have loaded; with the grid's vector tiles still loading when it is added, that
    // is later than its own styledata check. MapLibre's `load` marks that moment: push again.
    const onLoad = () => overlay.setProps(latest.current.props)
    map.on('load', onLoad)
    return () => {
      map.off('load', onLoad)
      latest.current.onOverlay?.(null)
      overlayRef.current = null
      // When the map's owner unmounts with it, the map is removed first (its effect cleans up
      // before this child's) and takes its controls along: then there is nothing to detach.
      if (map.hasControl(overlay)) map.removeControl(overlay)
    }
  }, [map])

  useEffect(() => {
    latest.current = { props, onOverlay }
    overlayRef.current?.setProps(props)
  })

  return null
}
